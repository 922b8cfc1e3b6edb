import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectRefused, HANG_MS, startServerWith, unprivileged } from '../support/refused-start';

const onLinuxProc = fs.existsSync('/proc/self') ? it : it.skip;

/** BACKUP_DIR is checked at start as DATA_DIR is: made if missing, and written by this user, or the start stops. */
describe('the server on an unusable BACKUP_DIR', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) {
      fs.chmodSync(dir, 0o700);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  /** A usable DATA_DIR (one anyone may write: the read-only case runs as another user). */
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-backupdir-'));
    fs.chmodSync(dir, 0o777);
    dirs.push(dir);
    return dir;
  };
  /** Nothing was started on the data: no control plane was made. */
  const untouched = (dataDir: string) => expect(fs.existsSync(path.join(dataDir, 'platform.sqlite'))).toBe(false);

  onLinuxProc(
    'refuses at once a folder under /proc, which takes no new folders, naming the variable, the path and the reason',
    async () => {
      const dataDir = tempDir();
      const started = await startServerWith({ DATA_DIR: dataDir, BACKUP_DIR: '/proc/tenantry-nope' });
      expectRefused(started, 'BACKUP_DIR', '/proc/tenantry-nope', 'ENOENT: no such file or directory');
      untouched(dataDir);
    },
    HANG_MS + 5_000,
  );

  it(
    'refuses a folder whose parent is a file, leaving the file as it was',
    async () => {
      const dataDir = tempDir();
      const file = path.join(dataDir, 'a-file');
      fs.writeFileSync(file, 'x');
      const backupDir = path.join(file, 'backups');
      expectRefused(await startServerWith({ DATA_DIR: dataDir, BACKUP_DIR: backupDir }), 'BACKUP_DIR', backupDir, 'ENOTDIR: not a directory');
      expect(fs.readFileSync(file, 'utf8')).toBe('x');
      untouched(dataDir);
    },
    HANG_MS + 5_000,
  );

  it(
    'refuses a read-only folder, leaving it empty',
    async () => {
      const dataDir = tempDir();
      const backupDir = path.join(tempDir(), 'read-only');
      fs.mkdirSync(backupDir, { mode: 0o555 });
      fs.chmodSync(backupDir, 0o555);
      const started = await startServerWith({ DATA_DIR: dataDir, BACKUP_DIR: backupDir }, unprivileged());
      expectRefused(started, 'BACKUP_DIR', backupDir, 'EACCES: permission denied');
      expect(fs.readdirSync(backupDir)).toEqual([]);
      untouched(dataDir);
    },
    HANG_MS + 5_000,
  );
});
