import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { freePort, ROOT } from '../support/server-process';

const BIN = path.join(ROOT, 'bin', 'tenantry.js');
/** Far more than a refusal takes (about a second); a process still running then has hung. */
const HANG_MS = 20_000;

interface Run {
  code: number | null;
  stderr: string;
  hung: boolean;
}

/** Runs a command on a data folder, killing it if it has not ended within HANG_MS. */
function run(args: string[], dataDir: string, options: { uid?: number; port?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const asUser = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, ...(options.port ? { PORT: String(options.port) } : {}), LOG_LEVEL: 'warn' },
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

const server = async (dataDir: string, options: { uid?: number } = {}) =>
  run(['--import', 'tsx', 'server.ts'], dataDir, { ...options, port: await freePort() });
const cli = (dataDir: string, options?: { uid?: number }) => run([BIN, 'tenants', 'list'], dataDir, options);

function expectRefused(result: Run, dataDir: string, reason: string): void {
  expect(result.hung).toBe(false);
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.stderr).toContain(`DATA_DIR: cannot create or write ${dataDir} (${reason})`);
  // A message, not a stack.
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

const onLinuxProc = fs.existsSync('/proc/self') ? it : it.skip;

describe('the server and the CLI on an unusable DATA_DIR', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) {
      fs.chmodSync(dir, 0o700);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-datadir-'));
    dirs.push(dir);
    return dir;
  };

  onLinuxProc(
    'refuse at once a folder under /proc, which takes no new folders, naming the path and the reason',
    async () => {
      const dataDir = '/proc/tenantry-nope';
      const [started, listed] = await Promise.all([server(dataDir), cli(dataDir)]);
      expectRefused(started, dataDir, 'ENOENT: no such file or directory');
      expectRefused(listed, dataDir, 'ENOENT: no such file or directory');
    },
    2 * HANG_MS,
  );

  it(
    'refuse a folder whose parent is a file',
    async () => {
      const file = path.join(tempDir(), 'a-file');
      fs.writeFileSync(file, 'x');
      const dataDir = path.join(file, 'data');
      const [started, listed] = await Promise.all([server(dataDir), cli(dataDir)]);
      expectRefused(started, dataDir, 'ENOTDIR: not a directory');
      expectRefused(listed, dataDir, 'ENOTDIR: not a directory');
      expect(fs.readFileSync(file, 'utf8')).toBe('x');
    },
    2 * HANG_MS,
  );

  it(
    'refuse a read-only folder, leaving it empty',
    async () => {
      const parent = tempDir();
      fs.chmodSync(parent, 0o755);
      const dataDir = path.join(parent, 'read-only');
      fs.mkdirSync(dataDir, { mode: 0o555 });
      fs.chmodSync(dataDir, 0o555);
      // Root writes a read-only folder anyway: the commands run as an unprivileged user there.
      const options = process.getuid?.() === 0 ? { uid: 65534 } : {};
      const [started, listed] = await Promise.all([server(dataDir, options), cli(dataDir, options)]);
      expectRefused(started, dataDir, 'EACCES: permission denied');
      expectRefused(listed, dataDir, 'EACCES: permission denied');
      expect(fs.readdirSync(dataDir)).toEqual([]);
    },
    2 * HANG_MS,
  );
});
