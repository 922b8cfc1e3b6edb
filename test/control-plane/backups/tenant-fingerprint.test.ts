import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { addItem, fillTenant, settleTenantFiles } from '../../support/tenant-data';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { tenantFingerprint, TIMESTAMP_GRAIN_MS } from '../../../control-plane/backups/tenant-fingerprint';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe('tenantFingerprint', () => {
  let t: TestPlatform;
  let acme: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    await fillTenant(t, acme);
  });
  afterEach(() => t.cleanup());

  const scheduled = async () => (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'schedule', onlyChanged: true })).outcomes[0].outcome;

  it('is the same for a tenant left alone, so a scheduled run skips it', async () => {
    settleTenantFiles(t.dataDir, acme.id);
    const dir = tenantPaths(t.dataDir, acme.id).dir;
    expect(tenantFingerprint(dir)).toBe(tenantFingerprint(dir));

    expect(await scheduled()).toBe('backed_up');
    expect(await scheduled()).toBe('unchanged');
  });

  it('backs up again a tenant written in the same second as its backup, where whole-second time stamps leave size and time as they were', async () => {
    const live = tenantPaths(t.dataDir, acme.id);
    // Everything written so far is in the main file: the next commit restarts the WAL from its start, keeping its size.
    const checkpoint = new BetterSqlite3(live.database);
    checkpoint.pragma('wal_checkpoint(PASSIVE)');
    checkpoint.close();
    const walSize = fs.statSync(`${live.database}-wal`).size;
    // A file system that keeps whole seconds (ext2, ext3 with small inodes, many network mounts)
    // shows this second as the time of each, before the commit below and after it.
    const thisSecond = Math.floor(Date.now() / 1000);
    const wholeSeconds = () => {
      for (const file of [live.database, `${live.database}-wal`, live.files]) fs.utimesSync(file, thisSecond, thisSecond);
    };
    wholeSeconds();
    expect(await scheduled()).toBe('backed_up');

    await addItem(t, acme, 'written the same second, after the copy');
    wholeSeconds();
    expect(fs.statSync(`${live.database}-wal`).size).toBe(walSize);

    expect(await scheduled()).toBe('backed_up');
  });

  it('names the moment it was taken when a file changed within the time stamps grain, so it matches no later one', () => {
    const dir = tenantPaths(t.dataDir, acme.id).dir;
    const now = Date.now();
    expect(tenantFingerprint(dir, now)).not.toBe(tenantFingerprint(dir, now + 1));
    expect(tenantFingerprint(dir, now + TIMESTAMP_GRAIN_MS + 1000)).toBe(tenantFingerprint(dir, now + TIMESTAMP_GRAIN_MS + 2000));
  });
});
