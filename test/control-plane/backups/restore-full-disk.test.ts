import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { addItem, fillTenant, itemTitles } from '../../support/tenant-data';
import { FullDisk } from '../../support/full-disk';
import { cliFor } from '../../support/cli-runner';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { listBackups } from '../../../control-plane/backups/list-backups';
import { recoverFleetOperations } from '../../../control-plane/backups/recover-operations';
import { tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

describe('a restore while BACKUP_DIR is full', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let admin: Agent;
  let acme: TenantRecord;
  let backupId: string;
  let disk: FullDisk;

  const restoring = () => {
    const dir = path.join(tenantsRoot(t.dataDir), '.restoring');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };
  const restore = () => postForm(admin, `/admin/tenants/acme/backups/${backupId}/restore`, { confirm: 'acme' }, '/admin/tenants/acme/backups');
  const kinds = () => listBackups(t.platform, acme.id).map((b) => b.kind);
  /** The first restore done longer ago than a double click: the next one is a restore of its own, not the same form sent twice. */
  const aWhileLater = () =>
    t.platform.db.run('update tenant_status_history set created_at = created_at - ? where tenant_id = ?', [DOUBLE_SUBMIT_MS + 1000, acme.id]);
  const titles = () => itemTitles(t.dataDir, acme.id).sort();
  const fillBackupDir = (options: { spaceReadBeforeFull?: boolean } = {}) => {
    disk = new FullDisk(undefined, { within: t.platform.config.backupDir, ...options });
    disk.full = true;
  };

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    admin = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
    acme = await makeTenant(t.platform, 'acme');
    await fillTenant(t, acme);
    backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    await addItem(t, acme, 'written after the backup');
  });
  afterEach(async () => {
    disk?.restore();
    await t.cleanup();
  });

  it('is refused on the console with a 507 before anything changes, and the next restore once there is space works at once', async () => {
    const before = titles();
    fillBackupDir();

    const refused = await restore();

    expect(refused.status).toBe(507);
    expect(refused.text).toContain('Restoring acme was refused: the disk of BACKUP_DIR is full');
    expect(refused.text).toContain('Nothing was changed.');
    expect(titles()).toEqual(before);
    expect(t.platform.tenants.findBySlug('acme')?.status).toBe('active');
    expect(restoring()).toEqual([]);

    disk.full = false;
    const res = await restore();
    expect(res.headers.location).toBe('/admin/tenants/acme/backups?notice=restored');
    expect(titles()).not.toContain('acme: written after the backup');
    expect(kinds()).toEqual(['pre-restore', 'manual']);
  });

  it('is refused by `tenantry tenants restore` with exit code 1 and the reason, before anything changes', async () => {
    const before = titles();
    t.platform.router.closeTenant(acme.id);
    fillBackupDir();

    const run = await cliFor(t.dataDir, { env: { BACKUP_DIR: t.platform.config.backupDir } })(['tenants', 'restore', 'acme', '--yes']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: Restoring acme was refused: the disk of BACKUP_DIR is full');
    expect(titles()).toEqual(before);
    expect(restoring()).toEqual([]);
  });

  describe('when it fills up only after the restore checked it', () => {
    it('says on the console that the replaced state is not yet a backup, and keeps it', async () => {
      fillBackupDir({ spaceReadBeforeFull: true });

      const res = await restore();

      expect(res.headers.location).toBe('/admin/tenants/acme/backups?notice=restored-unkept');
      const page = await admin.get(res.headers.location);
      expect(page.text).toContain('Restored, but the state it replaced could not be kept as a backup');
      expect(restoring()).toEqual([acme.id]);
    });

    it('refuses the next restore while it is still full with a 507 that says why, not "already running"', async () => {
      fillBackupDir({ spaceReadBeforeFull: true });
      await restore();
      aWhileLater();

      const again = await restore();

      expect(again.status).toBe(507);
      expect(again.text).toContain('The state the last restore of acme replaced cannot be kept as a backup: the disk is full.');
      expect(restoring()).toEqual([acme.id]);
    });

    it('lets the next restore run, in the same process, once there is space, keeping the replaced state as a pre-restore backup first', async () => {
      fillBackupDir({ spaceReadBeforeFull: true });
      await restore();
      disk.full = false;
      aWhileLater();

      const again = await restore();

      expect(again.headers.location).toBe('/admin/tenants/acme/backups?notice=restored');
      expect(restoring()).toEqual([]);
      expect(kinds()).toEqual(['pre-restore', 'pre-restore', 'manual']);
    });

    it('keeps the replaced state as a backup at the next repair of interrupted work once there is space, without a restart', async () => {
      fillBackupDir({ spaceReadBeforeFull: true });
      await restore();
      expect(recoverFleetOperations(t.platform).restores).toBe(0);
      disk.full = false;

      expect(recoverFleetOperations(t.platform).restores).toBe(1);

      expect(restoring()).toEqual([]);
      const [kept] = listBackups(t.platform, acme.id);
      expect(kept.kind).toBe('pre-restore');
      expect(kept.verified).toBe(true);
    });
  });
});
