import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectRefused as refused, HANG_MS, runCliWith, startServerWith, unprivileged, type Run } from '../support/refused-start';

const server = (dataDir: string, options: { uid?: number } = {}) => startServerWith({ DATA_DIR: dataDir }, options);
const cli = (dataDir: string, options?: { uid?: number }) => runCliWith({ DATA_DIR: dataDir }, options);
const expectRefused = (result: Run, dataDir: string, reason: string) => refused(result, 'DATA_DIR', dataDir, reason);

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
      const options = unprivileged();
      const [started, listed] = await Promise.all([server(dataDir, options), cli(dataDir, options)]);
      expectRefused(started, dataDir, 'EACCES: permission denied');
      expectRefused(listed, dataDir, 'EACCES: permission denied');
      expect(fs.readdirSync(dataDir)).toEqual([]);
    },
    2 * HANG_MS,
  );
});
