import fs from 'node:fs';
import path from 'node:path';
import { makeTenant } from '../../support/factories';
import { addItem, fillTenant, itemTitles } from '../../support/tenant-data';
import { listBackups } from '../../../control-plane/backups/list-backups';
import { tenantBackupsDir } from '../../../control-plane/backups/backup-location';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { damage } from '../../support/damage';
import { cliTestPlatform } from '../../support/cli-runner';
import { withTenantFile } from '../../support/tenant-file';
import { formatUtcTime, utcDay } from '../../../core/time/utc-time';
import { changeCount } from '../../support/team';

describe('tenantry tenants backup, backups and restore', () => {
  const { t, tenantry } = cliTestPlatform();
  let acme: TenantRecord;

  beforeEach(async () => {
    acme = await makeTenant(t.platform, 'acme');
    await makeTenant(t.platform, 'globex');
    await fillTenant(t, acme);
    t.platform.router.closeAll();
  });

  it('backs up the named tenants and prints each backup', async () => {
    const run = await tenantry(['tenants', 'backup', 'acme']);

    expect(run.code).toBe(0);
    const [backup] = listBackups(t.platform, acme.id);
    expect(run.stdout).toMatch(new RegExp(`backed_up\\s+acme\\s+${backup.id}`));
    expect(run.stdout).toContain('1 backed up, 0 unchanged, 0 failed');
  });

  it('records each backup it takes in the audit trail as the operator at the console', async () => {
    const run = await tenantry(['tenants', 'backup', 'acme']);

    expect(run.code).toBe(0);
    const rows = t.platform.db.all<{ tenant_id: string; actor_user_id: string | null; after: string }>(
      "select tenant_id, actor_user_id, after from audit_events where action = 'tenant.backup'",
    );
    expect(rows).toEqual([{ tenant_id: acme.id, actor_user_id: null, after: expect.stringContaining(listBackups(t.platform, acme.id)[0].id) }]);
    expect(JSON.parse(rows[0].after)).toMatchObject({ trigger: 'cli' });
  });

  it('backs up every tenant with --all and reports JSON', async () => {
    const run = await tenantry(['tenants', 'backup', '--all', '--json']);

    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body).toMatchObject({ backed_up: 2, failed: 0 });
    expect(body.tenants.map((x: { slug: string }) => x.slug).sort()).toEqual(['acme', 'globex']);
  });

  it('writes to BACKUP_DIR when it is set', async () => {
    const elsewhere = path.join(t.dataDir, 'other-disk');
    const run = await tenantry(['tenants', 'backup', 'acme'], { env: { BACKUP_DIR: elsewhere } });
    expect(run.code).toBe(0);
    expect(fs.readdirSync(tenantBackupsDir(elsewhere, acme.id))).toHaveLength(1);
  });

  it('is a usage error (exit 2) without tenants or --all, or with both', async () => {
    const none = await tenantry(['tenants', 'backup']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error: Name the tenants to back up, or use --all.');
    expect((await tenantry(['tenants', 'backup', 'acme', '--all'])).code).toBe(2);
    expect((await tenantry(['tenants', 'backup', 'nope'])).code).toBe(2);
  });

  it('exits 1 when a tenant fails, after backing up the others', async () => {
    fs.rmSync(tenantPaths(t.dataDir, acme.id).database);
    const run = await tenantry(['tenants', 'backup', '--all']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 backed up, 0 unchanged, 1 failed');
    expect(run.stderr).toContain('error: 1 tenant(s) failed: acme.');
  });

  it('names each damaged tenant it skips with --all, and why, counts it in its summary and exits 1', async () => {
    damage(t.platform, acme, 'a garbage file');
    t.platform.health.reportDamaged(acme.id, 'the file is not a database (no SQLite header)', 'a test');

    const run = await tenantry(['tenants', 'backup', '--all']);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^skipped\s+acme\s+damaged, not backed up: the file is not a database/m);
    expect(run.stdout).toContain('1 backed up, 0 unchanged, 0 failed, 1 skipped');
    expect(run.stderr).toContain('error: skipped acme: damaged, not backed up: the file is not a database (no SQLite header)');
    const json = JSON.parse((await tenantry(['tenants', 'backup', '--all', '--json'])).stdout);
    expect(json).toMatchObject({ backed_up: 1, failed: 0, skipped: 1 });
    expect(json.tenants).toContainEqual(expect.objectContaining({ slug: 'acme', outcome: 'skipped', error: expect.stringContaining('damaged') }));
  });

  it('does not take an empty database file for a tenant to back up: it fails, and exits 1', async () => {
    damage(t.platform, acme, 'a 0-byte file');

    const run = await tenantry(['tenants', 'backup', '--all']);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^failed\s+acme\s+The database of acme is damaged: the database file is empty \(0 bytes\)\./m);
    expect(listBackups(t.platform, acme.id)).toEqual([]);
  });

  it('lists backups, newest first, as a table or JSON', async () => {
    await tenantry(['tenants', 'backup', 'acme']);
    await tenantry(['tenants', 'backup', 'acme']);
    const ids = listBackups(t.platform, acme.id).map((b) => b.id);

    const table = await tenantry(['tenants', 'backups', 'acme']);
    expect(table.stdout.split('\n')[0]).toMatch(/^BACKUP\s+KIND\s+SIZE\s+FILES\s+SCHEMA VERSION\s+VERIFIED$/);
    expect(table.stdout.indexOf(ids[0])).toBeLessThan(table.stdout.indexOf(ids[1]));
    const json = JSON.parse((await tenantry(['tenants', 'backups', 'acme', '--json'])).stdout);
    expect(json.map((b: { id: string }) => b.id)).toEqual(ids);
    expect(json[0]).toMatchObject({ kind: 'manual', verified: true, files: 3 });
  });

  it("lists a purged tenant's backups, which stay, with where they are and how one comes back", async () => {
    await tenantry(['tenants', 'backup', 'acme']);
    const [backup] = listBackups(t.platform, acme.id);
    expect((await tenantry(['tenants', 'archive', 'acme', '--yes'])).code).toBe(0);
    expect((await tenantry(['tenants', 'purge', 'acme', '--yes'])).code).toBe(0);
    t.platform.db
      .connection()
      .prepare('update tenants set status_changed_at = ? where id = ?')
      .run(Date.UTC(2025, 2, 1, 9, 30, 45), acme.id);

    const table = await tenantry(['tenants', 'backups', 'acme']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`Tenant acme (${acme.id}) was purged on 2025-03-01 09:30 UTC;`);
    expect(table.stdout).toContain(`its backups stay in ${tenantBackupsDir(t.platform.config.backupDir, acme.id)}`);
    expect(table.stdout).toContain(
      `tenantry tenants import ${path.join(tenantBackupsDir(t.platform.config.backupDir, acme.id), backup.id)}/tenant.sqlite --slug acme`,
    );
    expect(table.stdout).toMatch(new RegExp(`${backup.id}\\s+manual`));
    const json = JSON.parse((await tenantry(['tenants', 'backups', 'acme', '--json'])).stdout);
    expect(json).toEqual([expect.objectContaining({ id: backup.id, tenant_id: acme.id, verified: true })]);
    expect(json[0].taken_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await tenantry(['tenants', 'backups', 'never-was'])).stderr).toContain('No tenant with slug "never-was".');
  });

  it('restores the newest backup, or the one named with --from, and says what it kept', async () => {
    await tenantry(['tenants', 'backup', 'acme']);
    await addItem(t, acme, 'after the backup');
    t.platform.router.closeAll();

    const run = await tenantry(['tenants', 'restore', 'acme', '--yes', '--json']);

    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body).toMatchObject({ slug: 'acme', status: 'active', migrated: [], pre_restore_backup_id: expect.stringMatching(/^\d{8}T\d{9}Z$/) });
    expect(itemTitles(t.dataDir, acme.id)).not.toContain('after the backup');
  });

  it("says it kept this month's metered use, or, over a database it could not read, that it kept none", async () => {
    const count = (value: number) =>
      withTenantFile(t, 'acme', (db) =>
        db
          .prepare("insert into usage_counters (metric, day, value) values ('api_requests', ?, ?) on conflict do update set value = excluded.value")
          .run(utcDay(), value),
      );
    count(2);
    await tenantry(['tenants', 'backup', 'acme']);
    count(5);

    const kept = await tenantry(['tenants', 'restore', 'acme', '--yes']);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain("This month's metered use was kept (1 counter carried from the replaced database).");
    expect(withTenantFile(t, 'acme', (db) => db.prepare('select value from usage_counters').pluck().all())).toEqual([5]);

    damage(t.platform, acme, 'a garbage file');
    const over = await tenantry(['tenants', 'restore', 'acme', '--yes', '--json']);
    expect(over.code).toBe(0);
    expect(JSON.parse(over.stdout)).toMatchObject({ status: 'active', usage_carried: 0, usage_not_carried: 'the file is not a database (no SQLite header)' });
    expect(withTenantFile(t, 'acme', (db) => db.prepare('select value from usage_counters').pluck().all())).toEqual([2]);
  });

  it('refuses a restore over a live tenant without --yes, naming the tenant, its status and the backup, and changes nothing', async () => {
    await tenantry(['tenants', 'backup', 'acme']);
    const [backup] = listBackups(t.platform, acme.id);
    await addItem(t, acme, 'after the backup');
    t.platform.router.closeAll();
    const changes = changeCount(t.platform);

    const run = await tenantry(['tenants', 'restore', 'acme']);

    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: Restoring acme replaces the live data of ${acme.name} (active) with backup ${backup.id}, taken ${formatUtcTime(backup.takenAt)}. Run the command again with --yes to confirm.\n`,
    });
    expect(itemTitles(t.dataDir, acme.id)).toContain('after the backup');
    expect(listBackups(t.platform, acme.id).map((b) => b.id)).toEqual([backup.id]);
    expect(changeCount(t.platform)).toBe(changes);
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'active', pending_operation: null });
  });

  it('refuses a restore over a suspended tenant without --yes in --json too: the reason on stderr, nothing on stdout', async () => {
    await tenantry(['tenants', 'backup', 'acme']);
    const [backup] = listBackups(t.platform, acme.id);
    await tenantry(['tenants', 'suspend', 'acme', '--reason', 'Unpaid']);
    const changes = changeCount(t.platform);

    const run = await tenantry(['tenants', 'restore', 'acme', '--from', backup.id, '--json']);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `error: Restoring acme replaces the live data of ${acme.name} (suspended) with backup ${backup.id}, taken ${formatUtcTime(backup.takenAt)}. Run the command again with --yes to confirm.\n`,
    );
    expect(listBackups(t.platform, acme.id)).toHaveLength(1);
    expect(changeCount(t.platform)).toBe(changes);
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'suspended', status_reason: 'Unpaid' });
  });

  it('says in its help that a restore from a backup needs --yes', async () => {
    const help = await tenantry(['tenants', 'restore', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--yes +confirm a restore from a backup/);
    expect(help.stdout).toContain('tenantry tenants restore acme --yes');
  });

  it('refuses --from given empty instead of saying there is no verified backup (exit 2), and restores nothing', async () => {
    await tenantry(['tenants', 'backup', 'acme']);
    await addItem(t, acme, 'after the backup');
    t.platform.router.closeAll();
    const run = await tenantry(['tenants', 'restore', 'acme', '--from', '']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'error: --from must not be empty\n' });
    expect(itemTitles(t.dataDir, acme.id)).toContain('after the backup');
    expect(listBackups(t.platform, acme.id)).toHaveLength(1);
  });

  it('refuses to restore a tenant without backups or an unknown backup (exit 2)', async () => {
    const none = await tenantry(['tenants', 'restore', 'acme']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error: Tenant acme has no verified backup to restore.');
    const unknown = await tenantry(['tenants', 'restore', 'acme', '--from', '20990101T000000000Z']);
    expect(unknown.code).toBe(2);
  });

  it('reports the fleet status, and exits 1 when a backup failed or space is low', async () => {
    const ok = await tenantry(['tenants', 'fleet-status', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      ok: true,
      migrations: { current: 2, behind: 0, failed: 0 },
      disks: [{ name: 'DATA_DIR' }, { name: 'BACKUP_DIR' }],
      data_file_system: expect.stringMatching(/^\S+.* \(.+ at \/.*\)$/),
    });

    fs.rmSync(tenantPaths(t.dataDir, acme.id).database);
    await tenantry(['tenants', 'backup', '--all']);
    const low = await tenantry(['tenants', 'fleet-status'], { env: { DISK_LOW_MB: '10000000' } });
    expect(low.code).toBe(1);
    expect(low.stdout).toMatch(/^DATA_DIR\s+\S+\s+.* free of .*LOW$/m);
    expect(low.stdout).toMatch(/^file system \S+.* \(.+ at \/.*\) \(DATA_DIR\)$/m);
    expect(low.stderr).toContain('attention: 1 tenant(s) whose last backup failed');
    expect(low.stderr).toContain('attention: low free space in DATA_DIR');
  });

  it('reports a backup whose pruning failed as backed up, says pruning failed and exits 1; fleet-status names it apart from failed backups', async () => {
    const dir = tenantBackupsDir(t.config.backupDir, acme.id);
    expect((await tenantry(['tenants', 'backup', 'acme'])).code).toBe(0);
    fs.renameSync(path.join(dir, listBackups(t.platform, acme.id)[0].id), path.join(dir, '20250101T030000000Z'));
    const rename = fs.renameSync;
    const refused = jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (path.basename(String(to)).startsWith('.deleting-')) throw new Error('EACCES: permission denied');
      rename(from, to);
    });
    const keepOneDay = { env: { BACKUP_KEEP_DAILY: '1', BACKUP_KEEP_WEEKLY: '0' } };
    let text, json;
    try {
      text = await tenantry(['tenants', 'backup', 'acme', '--prune'], keepOneDay);
      json = await tenantry(['tenants', 'backup', 'acme', '--prune', '--json'], keepOneDay);
    } finally {
      refused.mockRestore();
    }

    const newest = listBackups(t.platform, acme.id)[0].id;
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^backed_up\s+acme\s+\d{8}T\d{9}Z \(.+\); pruning older backups failed: EACCES: permission denied$/m);
    expect(text.stdout).toContain('1 backed up, 0 unchanged, 0 failed, 0 skipped');
    expect(text.stderr).toContain('error: pruning older backups failed for 1 tenant(s): acme. Their new backups were taken and kept');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      backed_up: 1,
      failed: 0,
      prune_failed: 1,
      tenants: [{ slug: 'acme', outcome: 'backed_up', backup_id: newest, error: null, prune_error: 'EACCES: permission denied' }],
    });
    expect(listBackups(t.platform, acme.id).map((b) => b.id)).toContain('20250101T030000000Z');

    const status = await tenantry(['tenants', 'fleet-status', '--json']);
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({
      ok: false,
      problems: ['1 tenant(s) whose older backups could not be removed after their last backup (that backup was kept)'],
      backups: { failed: 0, prune_failed: 1, last_run: { status: 'prune_failed', backed_up: 1, failed: 0 } },
    });
  });

  it('counts a tenant found damaged after its last backup, and exits 1 for it', async () => {
    expect((await tenantry(['tenants', 'backup', '--all'])).code).toBe(0);
    t.platform.health.reportDamaged(acme.id, 'file is not a database', 'a request');

    const run = await tenantry(['tenants', 'fleet-status', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, damaged: 1, backups: { failed: 0, stale: 0 } });
    const text = await tenantry(['tenants', 'fleet-status']);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('attention: 1 damaged tenant(s)');
  });
});
