import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

interface Secrets {
  sessionSecret: string;
  secretsKey: string;
}

const FILE_NAME = 'secrets.json';

/**
 * Secrets not given in the environment are generated once into DATA_DIR/secrets.json (mode 0600)
 * so a first run needs no set-up and nothing secret is ever committed.
 */
export function ensureGeneratedSecrets(dataDir: string, given: Partial<Record<keyof Secrets, string>>): Secrets {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, FILE_NAME);
  let stored: Partial<Secrets> = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Secrets>;
  const next: Secrets = {
    sessionSecret: stored.sessionSecret ?? crypto.randomBytes(32).toString('hex'),
    secretsKey: stored.secretsKey ?? crypto.randomBytes(32).toString('hex'),
  };
  if (next.sessionSecret !== stored.sessionSecret || next.secretsKey !== stored.secretsKey) {
    fs.writeFileSync(file, JSON.stringify(next, null, 2), { mode: 0o600 });
  }
  fs.chmodSync(file, 0o600);
  return {
    sessionSecret: given.sessionSecret ?? next.sessionSecret,
    secretsKey: given.secretsKey ?? next.secretsKey,
  };
}
