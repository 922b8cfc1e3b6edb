import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { fillTenant, settleTenantFiles } from '../../support/tenant-data';
import { CLI_ENTRY, startChild } from '../../support/child-process';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { BackupScheduler } from '../../../control-plane/backups/backup-scheduler';
import { BackupStateRepository } from '../../../control-plane/backups/backup-state';
import { listBackups } from '../../../control-plane/backups/list-backups';
import { restoreTenant } from '../../../control-plane/backups/restore-tenant';
import { restoreWorkDir } from '../../../control-plane/backups/operation-workspace';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import { holdTenantLock } from '../../../control-plane/lifecycle/tenant-lock';
import { renameTenant } from '../../../control-plane/tenants/rename-tenant';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/**
 * A backup holds its tenant's operation lock for the time of its copy, across processes: an
 * archive, a rename or a restore from a backup asked for meanwhile is a 409 that changes nothing,
 * and a backup meeting a tenant another operation holds is refused (named) or skipped with the
 * reason (the schedule), which the next run takes.
 */
describe('a backup and the operations that hold a tenant', () => {
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

  /** Runs `tenantry <args>` in another process, stopped at `point` while `fn` runs, then SIGKILLed. */
  async function whilePausedAt(point: string, args: string[], fn: () => Promise<void>): Promise<void> {
    const marker = path.join(t.dataDir, 'paused');
    const child = startChild(CLI_ENTRY, args, { DATA_DIR: t.dataDir, TENANTRY_PAUSE_AT: point, TENANTRY_PAUSE_FILE: marker });
    let ended = false;
    void child.exited.then(() => (ended = true));
    try {
      for (let waited = 0; !fs.existsSync(marker); waited += 20) {
        if (ended || waited > 30_000) throw new Error(`tenantry ${args.join(' ')} did not reach ${point}: ${(await child.exited).stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await fn();
    } finally {
      child.process.kill('SIGKILL');
      await child.exited;
      fs.rmSync(marker, { force: true });
    }
  }

  it('refuses an archive, a rename and a restore from a backup while another process backs the tenant up, and changes nothing', async () => {
    const backup = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId as string;
    await whilePausedAt('backup:verified', ['tenants', 'backup', 'acme'], async () => {
      const held = { status: 409, message: expect.stringContaining('Another operation is running on this tenant') };
      await expect(archiveTenant(t.platform, acme.id, { confirm: 'acme' }, CLI_OPERATOR)).rejects.toMatchObject(held);
      await expect(renameTenant(t.platform, acme.id, { name: 'Acme Two' }, CLI_OPERATOR)).rejects.toMatchObject(held);
      await expect(restoreTenant(t.platform, { slug: 'acme', backupId: backup, actorUserId: null })).rejects.toMatchObject({
        status: 409,
        message: expect.stringContaining('holds tenant acme right now; nothing was restored'),
      });
      expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'active', name: acme.name, pending_operation: null });
      expect(fs.existsSync(tenantPaths(t.dataDir, acme.id).database)).toBe(true);
      expect(fs.existsSync(restoreWorkDir(t.dataDir, acme.id))).toBe(false);
    });
  }, 60_000);

  it('refuses a backup of a tenant another process holds (a rename under way) with the reason, writing no backup', async () => {
    await whilePausedAt('rename:recorded', ['tenants', 'rename', 'acme', '--name', 'Acme Two'], async () => {
      await expect(backupFleet(t.platform, { slugs: ['acme'], trigger: 'console' })).rejects.toMatchObject({
        status: 409,
        message: expect.stringContaining('holds tenant acme right now; not backed up'),
      });
      expect(listBackups(t.platform, acme.id)).toEqual([]);
    });
  }, 60_000);

  it('skips a held tenant in a scheduled run, reports the skip with its reason, and takes it in the next run', async () => {
    await whilePausedAt('rename:recorded', ['tenants', 'rename', 'acme', '--name', 'Acme Two'], async () => {
      const run = await new BackupScheduler(t.platform, '15 3 * * *').runOnce();
      expect(run?.backedUp).toBe(1);
      expect(run?.skipped).toEqual([
        expect.objectContaining({ slug: 'acme', outcome: 'skipped', skippedAs: 'held', error: expect.stringContaining('holds tenant acme right now') }),
      ]);
      expect(new BackupStateRepository(t.platform.db).find(acme.id)?.last_error).toContain('holds tenant acme right now');
      expect(listBackups(t.platform, acme.id)).toEqual([]);
      expect(listBackups(t.platform, globex.id)).toHaveLength(1);
    });
    const next = await new BackupScheduler(t.platform, '15 3 * * *').runOnce();
    expect(next?.skipped).toEqual([]);
    expect(listBackups(t.platform, acme.id)).toHaveLength(1);
  }, 60_000);

  it('does not hold, nor skip, a tenant a scheduled run finds unchanged since its last backup', async () => {
    t.platform.router.closeAll();
    for (const tenant of [acme, globex]) settleTenantFiles(t.dataDir, tenant.id);
    await new BackupScheduler(t.platform, '15 3 * * *').runOnce();
    const held = holdTenantLock(t.dataDir, acme.id); // as any operation on it holds it
    try {
      const run = await new BackupScheduler(t.platform, '15 3 * * *').runOnce();
      expect(run).toMatchObject({ backedUp: 0, unchanged: 2, skipped: [] });
    } finally {
      held.release({ remove: true });
    }
  });
});
