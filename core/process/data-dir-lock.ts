import path from 'node:path';
import { StartupError } from '../errors/app-errors';
import { FileLock } from './file-lock';

/**
 * One server per data folder: the running server holds DATA_DIR/server.lock (an exclusive
 * SQLite lock, dropped by the operating system when the process ends, crash included). A second
 * server on the same folder is refused with a clear message. CLI commands do not take it: they
 * are meant to run beside the server.
 */
export function holdDataDirLock(dataDir: string): FileLock {
  const file = serverLockFile(dataDir);
  const lock = FileLock.tryHold(file);
  if (!lock) {
    throw new StartupError(
      `Another Tenantry server is already running on ${dataDir} (it holds ${file}). Stop it first, or start this one with another DATA_DIR.`,
      { dataDir },
    );
  }
  return lock;
}

export function serverLockFile(dataDir: string): string {
  return path.join(dataDir, 'server.lock');
}

/**
 * The server's lock, for a command that must not run beside a server (rotating the secrets key):
 * undefined while a server runs; held, it keeps a server from starting until it is released.
 */
export function tryHoldDataDirLock(dataDir: string): FileLock | undefined {
  return FileLock.tryHold(serverLockFile(dataDir));
}
