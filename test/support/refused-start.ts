import path from 'node:path';
import { spawn } from 'node:child_process';
import { freePort, ROOT } from './server-process';

const BIN = path.join(ROOT, 'bin', 'tenantry.js');
/** Far more than a refusal takes (about a second); a process still running then has hung. */
export const HANG_MS = 20_000;

export interface Run {
  code: number | null;
  stderr: string;
  hung: boolean;
}

/** Runs a command with this environment, killing it if it has not ended within HANG_MS. */
function run(args: string[], env: Record<string, string>, options: { uid?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const asUser = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      ...asUser,
    });
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, HANG_MS);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, hung });
    });
  });
}

/** `npm start`'s server on a free port, with this environment (DATA_DIR, BACKUP_DIR...). */
export const startServerWith = async (env: Record<string, string>, options: { uid?: number } = {}) =>
  run(['--import', 'tsx', 'server.ts'], { ...env, PORT: String(await freePort()) }, options);

/** `tenantry tenants list` with this environment. */
export const runCliWith = (env: Record<string, string>, options?: { uid?: number }) => run([BIN, 'tenants', 'list'], env, options);

/** Ended at once, not 0, with the line naming the variable, the folder and the reason, and no stack. */
export function expectRefused(result: Run, variable: string, dir: string, reason: string): void {
  expect(result.hung).toBe(false);
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.stderr).toContain(`${variable}: cannot create or write ${dir} (${reason})`);
  // A message, not a stack.
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

/** Root writes a read-only folder anyway: the commands run as an unprivileged user there. */
export const unprivileged = () => (process.getuid?.() === 0 ? { uid: 65534 } : {});
