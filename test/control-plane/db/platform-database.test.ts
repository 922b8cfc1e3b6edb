import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { folderSnapshot } from '../../support/damage';
import { cliFor } from '../../support/cli-runner';
import { createPlatform } from '../../../app/create-platform';
import { loadConfig } from '../../../core/config/load-config';
import { createLogger } from '../../../core/logging/logger';
import { StartupError } from '../../../core/errors/app-errors';
import { openPlatformDatabase } from '../../../control-plane/db/platform-database';

describe('the control plane file', () => {
  let t: TestPlatform;
  let file: string;
  beforeEach(async () => {
    t = await createTestPlatform();
    await makeTenant(t.platform, 'acme', 'Acme');
    await makeTenant(t.platform, 'globex', 'Globex');
    await t.platform.close();
    file = path.join(t.dataDir, 'platform.sqlite');
  });
  afterEach(() => fs.rmSync(t.dataDir, { recursive: true, force: true }));

  const start = () => createPlatform(loadConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' }), { logger: createLogger('silent') });
  const tenantFolders = () => folderSnapshot(path.join(t.dataDir, 'tenants'));

  it.each([
    ['missing', () => fs.rmSync(file)],
    ['empty', () => fs.truncateSync(file, 0)],
  ])('is refused when %s beside tenant folders: no new deployment is made and no tenant folder is set aside', async (_name, lose) => {
    const before = tenantFolders();
    lose();

    await expect(start()).rejects.toThrow(StartupError);
    await expect(start()).rejects.toThrow(/platform\.sqlite is (missing|empty \(0 bytes\)), but .* holds 2 tenant folder\(s\).*Put back platform\.sqlite/);
    const doctor = await cliFor(t.dataDir)(['doctor', '--fix']);
    expect(doctor.code).toBe(1);
    expect(doctor.stderr).toMatch(/^error: The control plane .* holds 2 tenant folder\(s\)/);
    expect(doctor.stderr).not.toContain('unexpected failure');

    expect(fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    expect(fs.existsSync(path.join(t.dataDir, 'orphans'))).toBe(false);
    expect(tenantFolders()).toEqual(before);
  });

  it.each([
    ['not a database', () => fs.writeFileSync(file, crypto.randomBytes(65536)), 'file is not a database'],
    ['truncated', () => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 3)), 'database disk image is malformed'],
  ])('that is %s is refused in words, without a stack, and left as it is', async (_name, damage, reason) => {
    fs.rmSync(`${file}-wal`, { force: true });
    fs.rmSync(`${file}-shm`, { force: true });
    damage();
    const bytes = fs.readFileSync(file);

    await expect(start()).rejects.toThrow(StartupError);
    const list = await cliFor(t.dataDir)(['tenants', 'list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toBe(
      `error: The control plane ${file} cannot be used (${reason}). Nothing was changed. Put back platform.sqlite from your backup of DATA_DIR (with its -wal file if the backup has one), then start again.\n`,
    );
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('that this user may not write (left owned by another user) is refused in words before it is opened', async () => {
    // What a root-owned platform.sqlite is to a server that does not run as root (tests may run as root).
    const access = jest.spyOn(fs, 'accessSync').mockImplementation((target) => {
      if (String(target) === file) throw Object.assign(new Error(`EACCES: permission denied, access '${file}'`), { code: 'EACCES' });
    });
    try {
      await expect(start()).rejects.toThrow(`The control plane ${file} cannot be opened for reading and writing (EACCES). Nothing was changed.`);
      const list = await cliFor(t.dataDir)(['tenants', 'list']);
      expect(list.code).toBe(1);
      expect(list.stderr).toMatch(/^error: The control plane .* cannot be opened for reading and writing \(EACCES\)\. .*owns DATA_DIR/);
    } finally {
      access.mockRestore();
    }
  });

  it('is made on a first run, in a folder without tenants', () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-first-run-'));
    try {
      const db = openPlatformDatabase(fresh);
      db.close();
      expect(fs.existsSync(path.join(fresh, 'platform.sqlite'))).toBe(true);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
