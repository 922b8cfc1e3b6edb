// Shared by jest.config.js (plain JS: it runs before any TypeScript transform).
const fs = require('node:fs');

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);

function findChromium() {
  return CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
}

module.exports = { findChromium, CHROMIUM_CANDIDATES };
