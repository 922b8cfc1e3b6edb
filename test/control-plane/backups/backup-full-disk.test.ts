import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { signIn } from '../../support/http-agent';
import { fillTenant } from '../../support/tenant-data';
import { FullDisk } from '../../support/full-disk';
import { cliFor } from '../../support/cli-runner';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { BackupStateRepository, backupFailureOf } from '../../../control-plane/backups/backup-state';

describe('a backup while BACKUP_DIR is full', () => {
  let t: TestPlatform;
  let disk: FullDisk;

  beforeEach(async () => {
    t = await createTestPlatform();
    await fillTenant(t, await makeTenant(t.platform, 'acme'));
    disk = new FullDisk(undefined, { within: t.platform.config.backupDir });
    disk.full = true;
  });
  afterEach(async () => {
    disk.restore();
    await t.cleanup();
  });

  it('fails saying the disk is full, as every other operation does, in its outcome, its record and the log', async () => {
    const result = await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });

    expect(result.failed).toHaveLength(1);
    const [failed] = result.failed;
    expect(failed.error).toContain('the disk is full');
    expect(failed.error).not.toContain('database or disk is full');
    const acme = t.platform.tenants.findBySlug('acme')!;
    expect(backupFailureOf(new BackupStateRepository(t.platform.db).find(acme.id))).toBe(failed.error);
  });

  it('says so on `tenantry tenants backup`, exiting 1', async () => {
    const run = await cliFor(t.dataDir, { env: { BACKUP_DIR: t.platform.config.backupDir } })(['tenants', 'backup', 'acme']);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/failed\s+acme\s+the disk is full/);
    expect(`${run.stdout}${run.stderr}`).not.toContain('database or disk is full');
  });

  it("says so on the console's backups page of the tenant and on its fleet page", async () => {
    // The console backs up on a worker thread, which the simulated disk does not reach: the run is the scheduler's.
    await backupFleet(t.platform, { slugs: ['acme'], trigger: 'schedule' });
    const app = createApp(t.platform).app;
    const admin = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);

    for (const page of ['/admin/tenants/acme/backups', '/admin/fleet']) {
      const html = (await admin.get(page)).text;
      expect(html).toContain('the disk is full');
      expect(html).not.toContain('database or disk is full');
    }
  });
});
