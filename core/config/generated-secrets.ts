import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { makeDirectory } from '../fs/make-directory';

interface Secrets {
  sessionSecret: string;
  secretsKey: string;
}

const FILE_NAME = 'secrets.json';

function readStored(file: string): Partial<Secrets> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Secrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes the secrets under a temp name, then puts them in place: a new file with link(), which
 * fails if another process starting at the same time made one first (its secrets then win, so
 * both processes sign sessions with the same secret); an incomplete file by rename.
 */
function store(file: string, secrets: Secrets, replace: boolean): Partial<Secrets> | undefined {
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  try {
    if (replace) fs.renameSync(temp, file);
    else fs.linkSync(temp, file);
    return secrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readStored(file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Secrets not given in the environment are generated once into DATA_DIR/secrets.json (mode 0600)
 * so a first run needs no set-up and nothing secret is ever committed.
 */
export function ensureGeneratedSecrets(dataDir: string, given: Partial<Record<keyof Secrets, string>>): Secrets {
  makeDirectory(dataDir);
  const file = path.join(dataDir, FILE_NAME);
  let stored = readStored(file);
  if (!stored?.sessionSecret || !stored.secretsKey) {
    const next: Secrets = {
      sessionSecret: stored?.sessionSecret ?? crypto.randomBytes(32).toString('hex'),
      secretsKey: stored?.secretsKey ?? crypto.randomBytes(32).toString('hex'),
    };
    stored = store(file, next, stored !== undefined) ?? next;
  }
  fs.chmodSync(file, 0o600);
  return {
    sessionSecret: given.sessionSecret ?? (stored.sessionSecret as string),
    secretsKey: given.secretsKey ?? (stored.secretsKey as string),
  };
}
