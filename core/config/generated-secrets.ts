import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

interface Secrets {
  sessionSecret: string;
  secretsKey: string;
}

const FILE_NAME = 'secrets.json';

function read(file: string): Partial<Secrets> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Secrets>;
}

/**
 * Writes the file only if none exists, in one step: the content goes to a temp file that is then
 * hard-linked under the final name (which fails if another process got there first). Two
 * processes starting together on an empty folder thus end up with the same secrets.
 */
function writeOnce(file: string, secrets: Secrets): void {
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(temp, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  try {
    fs.linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Secrets not given in the environment are generated once into DATA_DIR/secrets.json (mode 0600)
 * so a first run needs no set-up and nothing secret is ever committed.
 */
export function ensureGeneratedSecrets(dataDir: string, given: Partial<Record<keyof Secrets, string>>): Secrets {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, FILE_NAME);
  if (!fs.existsSync(file)) writeOnce(file, { sessionSecret: crypto.randomBytes(32).toString('hex'), secretsKey: crypto.randomBytes(32).toString('hex') });
  const stored = read(file);
  const next: Secrets = {
    sessionSecret: stored.sessionSecret ?? crypto.randomBytes(32).toString('hex'),
    secretsKey: stored.secretsKey ?? crypto.randomBytes(32).toString('hex'),
  };
  // An older file missing a secret gets it added (a rewrite: only an operator's edit leads here).
  if (next.sessionSecret !== stored.sessionSecret || next.secretsKey !== stored.secretsKey) {
    fs.writeFileSync(file, JSON.stringify(next, null, 2), { mode: 0o600 });
  }
  fs.chmodSync(file, 0o600);
  return {
    sessionSecret: given.sessionSecret ?? next.sessionSecret,
    secretsKey: given.secretsKey ?? next.secretsKey,
  };
}
