import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { addItem, fillTenant, tenantState } from '../../support/tenant-data';
import { killCliAt } from '../../support/child-process';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { exportTenant } from '../../../control-plane/transfer/export-tenant';
import { fleetOperationsCheck } from '../../../control-plane/doctor/fleet-operations-check';
import { repairInterruptedWork, runDoctor } from '../../../control-plane/doctor/run-doctor';
import { LifecycleSweep } from '../../../control-plane/lifecycle/lifecycle-sweep';
import { tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/** Operations of the real CLI SIGKILLed at a named step, then the one repair of interrupted work. */
describe('the repair of interrupted work, for restores, clones and imports', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let env: Record<string, string>;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    await fillTenant(t, acme);
    t.platform.router.closeAll();
    env = { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' };
  });
  afterEach(() => t.cleanup());

  const workEntries = () =>
    ['.restoring', '.provisioning', '.importing', '.exporting'].flatMap((dir) => {
      const full = path.join(tenantsRoot(t.dataDir), dir);
      return fs.existsSync(full) ? fs.readdirSync(full).map((n) => `${dir}/${n}`) : [];
    });

  it('undoes a clone killed once its folder was in place: no tenant, row, folder or claim is left', async () => {
    await killCliAt('clone:placed', ['tenants', 'clone', 'acme', '--to', 'acme-staging'], env);

    await repairInterruptedWork(t.platform);

    expect(t.platform.tenants.findBySlug('acme-staging')).toBeUndefined();
    expect(t.platform.tenants.list().map((x) => x.slug)).toEqual(['acme']);
    expect(workEntries()).toEqual([]);
  });

  it('undoes an import killed once its tenant was placed, and the slug can be imported again', async () => {
    const archive = path.join(t.dataDir, 'acme.tar.gz');
    await exportTenant(t.platform, { slug: 'acme', out: archive, actorUserId: null });
    await killCliAt('import:placed', ['tenants', 'import', archive, '--slug', 'acme-copy'], env);

    await repairInterruptedWork(t.platform);

    expect(t.platform.tenants.findBySlug('acme-copy')).toBeUndefined();
    expect(workEntries()).toEqual([]);
  });

  it('reports a restore cut off in maintenance without --fix and changes nothing, then the timer rolls it back', async () => {
    const backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    await addItem(t, acme, 'written after the backup');
    t.platform.router.closeAll();
    const live = tenantState(t.dataDir, acme.id);
    await killCliAt('restore:swapped', ['tenants', 'restore', 'acme', '--from', backupId, '--yes'], env);

    const report = await runDoctor({ platform: t.platform, fix: false, deep: false }, [fleetOperationsCheck]);
    expect(report.findings).toEqual([
      expect.objectContaining({ check: 'fleet operations', subject: `.restoring/${acme.id}`, fixed: false, needsHuman: false }),
    ]);
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('maintenance');

    await new LifecycleSweep(t.platform).tick();

    expect(t.platform.tenants.findById(acme.id)?.status).toBe('active');
    expect(tenantState(t.dataDir, acme.id)).toEqual(live);
    expect(workEntries()).toEqual([]);
  });
});
