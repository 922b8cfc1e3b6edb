import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { addItem, fillTenant, settleTenantFiles } from '../../support/tenant-data';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { listBackups } from '../../../control-plane/backups/list-backups';
import { tenantBackupsDir } from '../../../control-plane/backups/backup-location';
import { referencedFiles } from '../../../control-plane/backups/copy-stored-files';
import { BackupStateRepository, backupFailureOf, pruneFailureOf } from '../../../control-plane/backups/backup-state';
import { loadFleetPage } from '../../../control-plane/pages/fleet-page';
import { digestFile } from '../../../core/fs/durable-files';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe('backupFleet', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let globex: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    globex = await makeTenant(t.platform, 'globex');
    await fillTenant(t, acme);
  });
  afterEach(() => t.cleanup());

  const backupsOf = (tenant: TenantRecord) => listBackups(t.platform, tenant.id);

  it('writes a verified copy of the database and every stored file, with the size and sha256 of each in the manifest', async () => {
    const result = await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });

    expect(result).toMatchObject({ backedUp: 1, failed: [] });
    const [backup] = backupsOf(acme);
    expect(backup).toMatchObject({
      id: result.outcomes[0].backupId,
      kind: 'manual',
      verified: true,
      fileCount: 3,
      schemaVersion: t.platform.tenantSource.latest,
    });
    const dir = path.join(tenantBackupsDir(t.config.backupDir, acme.id), backup.id);
    for (const entry of backup.manifest!.files) expect(digestFile(path.join(dir, entry.path))).toEqual({ size: entry.size, sha256: entry.sha256 });
    const stored = fs.readdirSync(tenantPaths(t.dataDir, acme.id).files).sort();
    expect(fs.readdirSync(path.join(dir, 'files')).sort()).toEqual(stored);
    expect(backup.manifest!.integrity).toBe('ok');
    expect(backup.manifest!.missing_files).toEqual([]);
  });

  it('knows the files a tenant refers to: its attachments and its logo', async () => {
    await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });
    const [backup] = backupsOf(acme);
    const dir = path.join(tenantBackupsDir(t.config.backupDir, acme.id), backup.id);
    expect(referencedFiles(path.join(dir, 'tenant.sqlite'))).toEqual(fs.readdirSync(tenantPaths(t.dataDir, acme.id).files).sort());
  });

  it('leaves out upload temp files and anything that is not a stored file', async () => {
    const files = tenantPaths(t.dataDir, acme.id).files;
    fs.writeFileSync(path.join(files, '.upload-0123456789abcdef0123456789abcdef'), 'half an upload');
    fs.symlinkSync('/etc/hostname', path.join(files, 'ffffffffffffffffffffffffffffffff'));

    await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });

    const [backup] = backupsOf(acme);
    expect(backup.manifest!.files.map((f) => f.path)).not.toContain('files/ffffffffffffffffffffffffffffffff');
    expect(backup.manifest!.files.some((f) => f.path.includes('upload'))).toBe(false);
  });

  it('backs up every active and suspended tenant with --all, and no tenant in maintenance or failed', async () => {
    const initech = await makeTenant(t.platform, 'initech');
    suspendTenant(t.platform, globex.id, { reason: 'Unpaid' }, CLI_OPERATOR);
    t.platform.tenants.update(initech.id, { status: 'maintenance' });

    const result = await backupFleet(t.platform, { trigger: 'cli' });

    expect(result.outcomes.map((o) => o.slug).sort()).toEqual(['acme', 'globex']);
    expect(backupsOf(initech)).toEqual([]);
  });

  it('with onlyChanged visits only tenants whose files changed since their last backup', async () => {
    settleTenantFiles(t.dataDir, acme.id);
    settleTenantFiles(t.dataDir, globex.id);
    await backupFleet(t.platform, { trigger: 'schedule', onlyChanged: true });
    await addItem(t, globex, 'changed after the first backup');

    const second = await backupFleet(t.platform, { trigger: 'schedule', onlyChanged: true });

    expect(Object.fromEntries(second.outcomes.map((o) => [o.slug, o.outcome]))).toEqual({ acme: 'unchanged', globex: 'backed_up' });
    expect(backupsOf(acme)).toHaveLength(1);
    expect(backupsOf(globex)).toHaveLength(2);
  });

  it('backs up an unchanged tenant again when its last backup was removed from disk', async () => {
    await backupFleet(t.platform, { slugs: ['acme'], trigger: 'schedule', onlyChanged: true });
    fs.rmSync(tenantBackupsDir(t.config.backupDir, acme.id), { recursive: true });

    const again = await backupFleet(t.platform, { slugs: ['acme'], trigger: 'schedule', onlyChanged: true });

    expect(again.outcomes[0].outcome).toBe('backed_up');
  });

  it('reports a tenant that cannot be backed up and goes on with the others', async () => {
    fs.rmSync(tenantPaths(t.dataDir, acme.id).database);

    const result = await backupFleet(t.platform, { trigger: 'cli' });

    expect(result.failed).toEqual([expect.objectContaining({ slug: 'acme', error: expect.stringContaining('missing') })]);
    expect(result.backedUp).toBe(1);
    expect(new BackupStateRepository(t.platform.db).find(acme.id)?.last_error).toContain('missing');
    expect(new BackupStateRepository(t.platform.db).recentRuns(1)[0]).toMatchObject({ status: 'failed', backed_up: 1, failed: 1 });
    const dir = tenantBackupsDir(t.config.backupDir, acme.id);
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
  });

  it('refuses a second backup of a tenant named while the first is being taken, writing nothing for it, and takes one again once it ended', async () => {
    const first = backupFleet(t.platform, { slugs: ['acme'], trigger: 'console', useWorkers: true });
    await expect(backupFleet(t.platform, { slugs: ['globex', 'acme'], trigger: 'console' })).rejects.toMatchObject({ status: 409 });
    expect((await first).backedUp).toBe(1);
    expect(backupsOf(acme)).toHaveLength(1);
    expect(backupsOf(globex)).toHaveLength(0);
    expect((await backupFleet(t.platform, { slugs: ['acme'], trigger: 'console' })).backedUp).toBe(1);
  });

  it('at concurrency 2 backs up on worker threads with the same result', async () => {
    const result = await backupFleet(t.platform, { trigger: 'cli', concurrency: 2 });

    expect(result).toMatchObject({ backedUp: 2, failed: [] });
    expect(backupsOf(acme)[0]).toMatchObject({ verified: true, fileCount: 3 });
  });

  it('names the operator who asked for a backup in the audit trail, with what retention removed, and records none for a scheduled run', async () => {
    const dir = tenantBackupsDir(t.config.backupDir, acme.id);
    await backupFleet(t.platform, { slugs: ['acme'], trigger: 'schedule', kind: 'scheduled' });
    fs.renameSync(path.join(dir, backupsOf(acme)[0].id), path.join(dir, '20250101T030000000Z'));
    const keepOneDay = { ...t.platform.config, backupKeep: { daily: 1, weekly: 0 } };
    const operator = { userId: null, ip: '203.0.113.9', userAgent: 'Console/1.0' };

    const result = await backupFleet({ ...t.platform, config: keepOneDay }, { slugs: ['acme', 'globex'], trigger: 'console', prune: true, operator });

    const rows = t.platform.db.all<{ tenant_id: string; actor_user_id: string | null; target_id: string; after: string; ip: string; user_agent: string }>(
      "select tenant_id, actor_user_id, target_id, after, ip, user_agent from audit_events where action = 'tenant.backup' order by id",
    );
    expect(rows.map((r) => r.tenant_id).sort()).toEqual([acme.id, globex.id].sort());
    const acmeRow = rows.find((r) => r.tenant_id === acme.id)!;
    expect(acmeRow).toMatchObject({ actor_user_id: null, target_id: acme.id, ip: '203.0.113.9', user_agent: 'Console/1.0' });
    expect(JSON.parse(acmeRow.after)).toEqual({
      backup_id: result.outcomes.find((o) => o.slug === 'acme')!.backupId,
      bytes: expect.any(Number),
      trigger: 'console',
      removed: ['20250101T030000000Z'],
      prune_error: null,
    });
  });

  it('records no backup in the audit trail when none was taken', async () => {
    settleTenantFiles(t.dataDir, acme.id);
    await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli', operator: CLI_OPERATOR });
    const again = await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli', onlyChanged: true, operator: CLI_OPERATOR });
    expect(again.outcomes[0].outcome).toBe('unchanged');
    fs.rmSync(tenantPaths(t.dataDir, globex.id).database);
    await backupFleet(t.platform, { slugs: ['globex'], trigger: 'cli', operator: CLI_OPERATOR });

    expect(t.platform.db.all("select tenant_id from audit_events where action = 'tenant.backup'")).toEqual([{ tenant_id: acme.id }]);
  });

  it('removes the backups the retention policy does not keep when asked to prune', async () => {
    const dir = tenantBackupsDir(t.config.backupDir, acme.id);
    // Three earlier backups on three earlier days.
    for (const day of ['2025-01-01', '2025-01-02', '2025-01-03']) {
      await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });
      const newest = backupsOf(acme)[0].id;
      fs.renameSync(path.join(dir, newest), path.join(dir, `${day.replace(/-/g, '')}T030000000Z`));
    }
    const keepTwoDays = { ...t.platform.config, backupKeep: { daily: 2, weekly: 0 } };

    const result = await backupFleet({ ...t.platform, config: keepTwoDays }, { slugs: ['acme'], trigger: 'cli', prune: true });

    expect(result.outcomes[0].removed).toEqual(['20250102T030000000Z', '20250101T030000000Z']);
    expect(backupsOf(acme).map((b) => b.id)).toEqual([result.outcomes[0].backupId, '20250103T030000000Z']);
  });

  it('reports a backup whose pruning failed afterwards as backed up, kept and recorded, with the prune failure apart', async () => {
    const dir = tenantBackupsDir(t.config.backupDir, acme.id);
    await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });
    fs.renameSync(path.join(dir, backupsOf(acme)[0].id), path.join(dir, '20250101T030000000Z'));
    const rename = fs.renameSync;
    const refused = jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (path.basename(String(to)).startsWith('.deleting-')) throw new Error('EACCES: permission denied');
      rename(from, to);
    });
    let result: Awaited<ReturnType<typeof backupFleet>>;
    try {
      result = await backupFleet(
        { ...t.platform, config: { ...t.platform.config, backupKeep: { daily: 1, weekly: 0 } } },
        { slugs: ['acme'], trigger: 'cli', prune: true },
      );
    } finally {
      refused.mockRestore();
    }

    const [outcome] = result.outcomes;
    expect(outcome).toMatchObject({ outcome: 'backed_up', removed: [], pruneError: 'EACCES: permission denied' });
    expect(outcome.error).toBeUndefined();
    expect(result).toMatchObject({ backedUp: 1, failed: [], pruneFailed: [outcome] });
    expect(backupsOf(acme).map((b) => b.id)).toEqual([outcome.backupId, '20250101T030000000Z']);
    const state = new BackupStateRepository(t.platform.db);
    expect(state.find(acme.id)).toMatchObject({ last_backup_id: outcome.backupId });
    expect(backupFailureOf(state.find(acme.id))).toBeUndefined();
    expect(pruneFailureOf(state.find(acme.id))).toBe('EACCES: permission denied');
    expect(state.recentRuns(1)[0]).toMatchObject({ status: 'prune_failed', backed_up: 1, failed: 0 });
    expect(loadFleetPage(t.platform)).toMatchObject({ backupProblems: 0, pruneProblems: 1 });
  });

  it('sweeps what a backup process that died left behind, and lists no partial backup', async () => {
    const dir = tenantBackupsDir(t.config.backupDir, acme.id);
    fs.mkdirSync(path.join(dir, '.partial-20250101T030000000Z-999999'), { recursive: true });
    fs.mkdirSync(path.join(dir, '.deleting-20241201T030000000Z'));
    expect(backupsOf(acme)).toEqual([]);

    await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });

    expect(fs.readdirSync(dir)).toEqual([backupsOf(acme)[0].id]);
  });
});
