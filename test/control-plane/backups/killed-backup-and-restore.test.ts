import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { addItem, fillTenant, tenantState, type TenantState } from '../../support/tenant-data';
import { killCliAt } from '../../support/child-process';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { listBackups } from '../../../control-plane/backups/list-backups';
import { BackupStateRepository } from '../../../control-plane/backups/backup-state';
import { tenantBackupsDir } from '../../../control-plane/backups/backup-location';
import { recoverFleetOperations } from '../../../control-plane/backups/recover-operations';
import { restoreTenant } from '../../../control-plane/backups/restore-tenant';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { withTenantFile } from '../../support/tenant-file';
import { utcDay } from '../../../core/time/utc-time';
import { runDoctor } from '../../../control-plane/doctor/run-doctor';
import { freePort, startServerProcess } from '../../support/server-process';
import { undoNewestRealMigration } from '../../support/migrations-folder';
import { migrateOneTenant } from '../../../control-plane/fleet/migrate-one-tenant';
import { tenantPaths, tenantsRoot } from '../../../tenant-runtime/tenant-paths';

// Each case runs the real CLI in child processes (start-up, kill, repair): on a loaded 2-core
// machine that takes longer than the default 20 s.
jest.setTimeout(60_000);

/** Operations run by the real CLI in a child process and SIGKILLed at each named step (core/process/pause-point.ts). */
describe('backups and restores killed at any instant', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let env: Record<string, string>;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    await fillTenant(t, acme);
    // The child process must be able to drain the tenant: this process holds no handle.
    t.platform.router.closeAll();
    env = { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' };
  });
  afterEach(() => t.cleanup());

  const restoring = () => {
    const dir = path.join(tenantsRoot(t.dataDir), '.restoring');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  describe('a backup', () => {
    it.each(['backup:snapshot', 'backup:files', 'backup:verified'])(
      'killed at %s leaves the tenant as it was and no backup; the next backup sweeps what it left',
      async (step) => {
        const before = tenantState(t.dataDir, acme.id);

        await killCliAt(step, ['tenants', 'backup', 'acme'], env);

        expect(tenantState(t.dataDir, acme.id)).toEqual(before);
        expect(listBackups(t.platform, acme.id)).toEqual([]);
        const dir = tenantBackupsDir(t.config.backupDir, acme.id);
        expect(fs.readdirSync(dir)).toEqual([expect.stringMatching(/^\.partial-/)]);

        await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });
        const [backup] = listBackups(t.platform, acme.id);
        expect(backup.verified).toBe(true);
        expect(fs.readdirSync(dir)).toEqual([backup.id]);
      },
    );

    const runStatuses = () => t.platform.db.all<{ status: string }>('select status from backup_runs order by id').map((r) => r.status);

    it('killed mid-copy leaves a run the doctor reports and marks interrupted, and that reads as interrupted before', async () => {
      await killCliAt('backup:snapshot', ['tenants', 'backup', 'acme'], env);

      expect(runStatuses()).toEqual(['running']);
      expect(new BackupStateRepository(t.platform.db).recentRuns()).toEqual([expect.objectContaining({ status: 'interrupted' })]);
      const seen = await runDoctor({ platform: t.platform, fix: false, deep: false });
      expect(seen.unresolved.filter((f) => f.check === 'fleet operations')).toEqual([
        expect.objectContaining({ problem: 'a backup run still marked running whose process stopped', fixed: false }),
      ]);
      expect(runStatuses()).toEqual(['running']);

      await runDoctor({ platform: t.platform, fix: true, deep: false });
      expect(runStatuses()).toEqual(['interrupted']);
    });

    it('killed mid-copy leaves a run the next server start marks interrupted', async () => {
      await killCliAt('backup:files', ['tenants', 'backup', 'acme'], env);

      const server = startServerProcess(t.dataDir, await freePort());
      try {
        await server.serving;
      } finally {
        server.child.kill('SIGKILL');
        await server.exited;
      }

      expect(runStatuses()).toEqual(['interrupted']);
    });

    it('pruned and killed with an old backup renamed away lists it no more, and the doctor removes what is left of it', async () => {
      const dir = tenantBackupsDir(t.config.backupDir, acme.id);
      await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });
      fs.renameSync(path.join(dir, listBackups(t.platform, acme.id)[0].id), path.join(dir, '20250101T030000000Z'));

      await killCliAt('prune:renamed', ['tenants', 'backup', 'acme', '--prune'], { ...env, BACKUP_KEEP_DAILY: '1', BACKUP_KEEP_WEEKLY: '0' });

      const [taken] = listBackups(t.platform, acme.id);
      expect(listBackups(t.platform, acme.id)).toEqual([expect.objectContaining({ id: taken.id, verified: true })]);
      expect(fs.readdirSync(dir).sort()).toEqual(['.deleting-20250101T030000000Z', taken.id]);
      const report = await runDoctor({ platform: t.platform, fix: true, deep: false });
      expect(report.findings.filter((f) => f.problem === 'a backup half-removed by retention')).toEqual([expect.objectContaining({ fixed: true })]);
      expect(fs.readdirSync(dir)).toEqual([taken.id]);
    });
  });

  describe('a restore', () => {
    let backupId: string;
    let backedUp: TenantState;
    let live: TenantState;

    beforeEach(async () => {
      backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
      backedUp = tenantState(t.dataDir, acme.id);
      await addItem(t, acme, 'written after the backup');
      t.platform.router.closeAll();
      withTenantFile(t, 'acme', (db) => db.prepare("insert into usage_counters (metric, day, value) values ('api_requests', ?, 40)").run(utcDay()));
      live = tenantState(t.dataDir, acme.id);
    });

    it.each([
      ['restore:staged', 'active'],
      ['restore:offline', 'maintenance'],
      ['restore:drained', 'maintenance'],
      ['restore:live-moved', 'maintenance'],
      ['restore:swapped', 'maintenance'],
      ['restore:usage-carried', 'maintenance'],
    ])('killed at %s is rolled back by the next start (meanwhile the tenant is %s): the tenant is as it was', async (step, meanwhile) => {
      await killCliAt(step, ['tenants', 'restore', 'acme', '--from', backupId, '--yes'], env);
      // Members get 503 while it is in maintenance; the next start puts it back.
      expect(t.platform.tenants.findById(acme.id)?.status).toBe(meanwhile);

      const recovered = recoverFleetOperations(t.platform);

      expect(recovered.restores).toBe(1);
      expect(t.platform.tenants.findById(acme.id)?.status).toBe('active');
      expect(tenantState(t.dataDir, acme.id)).toEqual(live);
      expect(restoring()).toEqual([]);
      expect(listBackups(t.platform, acme.id).map((b) => b.id)).toEqual([backupId]);
    });

    it("killed after it committed is finished by the next start: the tenant holds the backup with this month's counters carried, and the replaced state is kept", async () => {
      await killCliAt('restore:committed', ['tenants', 'restore', 'acme', '--from', backupId, '--yes'], env);

      recoverFleetOperations(t.platform);

      expect(t.platform.tenants.findById(acme.id)?.status).toBe('active');
      expect(tenantState(t.dataDir, acme.id)).toEqual({ ...backedUp, tables: { ...backedUp.tables, usage_counters: live.tables.usage_counters } });
      const preRestore = listBackups(t.platform, acme.id).find((b) => b.kind === 'pre-restore');
      expect(preRestore?.verified).toBe(true);
      expect(restoring()).toEqual([]);
    });

    it("killed between its journal's commit and bringing the tenant back is finished by the next start with what the restore records: the migration of an older backup, and the backup's display name and language", async () => {
      const nameAndLanguage = (db: Parameters<Parameters<typeof withTenantFile>[2]>[0], name: string, language: string) => {
        const upsert = db.prepare('insert into settings (key, value, updated_at) values (?, ?, 0) on conflict(key) do update set value = excluded.value');
        upsert.run('display_name', JSON.stringify(name));
        upsert.run('language', JSON.stringify(language));
      };
      // A backup one migration behind the code, of the workspace as "Acme Studio" in French; then renamed, and caught up.
      withTenantFile(t, 'acme', (db) => nameAndLanguage(db, 'Acme Studio', 'fr'));
      const { undone, previous } = await undoNewestRealMigration(tenantPaths(t.dataDir, acme.id).database);
      const older = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
      await migrateOneTenant(t.dataDir, acme.id, t.platform.tenantSource);
      withTenantFile(t, 'acme', (db) => nameAndLanguage(db, 'Acme Works', 'en'));
      t.platform.tenants.keepSettingsCopies(acme.id, { displayName: 'Acme Works', language: 'en' });
      t.platform.router.closeAll();

      await killCliAt('restore:journal-committed', ['tenants', 'restore', 'acme', '--from', older, '--yes'], env);
      expect(t.platform.tenants.findById(acme.id)?.status).toBe('maintenance');

      recoverFleetOperations(t.platform);

      expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'active', schema_version: undone });
      const migrated = t.platform.db.all<{ before: string; after: string }>(
        "select before, after from audit_events where tenant_id = ? and action = 'tenant.migrated'",
        [acme.id],
      );
      expect(migrated.map((row) => [JSON.parse(row.before), JSON.parse(row.after)])).toEqual([
        [{ schema_version: previous }, { schema_version: undone, migrations: [undone], by: 'operator' }],
      ]);
      const [restored] = t.platform.db.all<{ after: string }>("select after from audit_events where tenant_id = ? and action = 'tenant.restore'", [acme.id]);
      expect(JSON.parse(restored.after)).toMatchObject({ backup_id: older, migrated: [undone], finished_after_interruption: true });
      expect(t.platform.tenants.findById(acme.id)).toMatchObject({ display_name: 'Acme Studio', language: 'fr' });
      expect(restoring()).toEqual([]);
    });

    it('that was cut off is resolved by the next restore, which then runs to the end', async () => {
      await killCliAt('restore:swapped', ['tenants', 'restore', 'acme', '--from', backupId, '--yes'], env);
      // No recovery first: the next restore resolves the interrupted one itself.
      t.platform.router.closeAll();

      await restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null });

      expect(tenantState(t.dataDir, acme.id)).toEqual({ ...backedUp, tables: { ...backedUp.tables, usage_counters: live.tables.usage_counters } });
    });
  });
});
