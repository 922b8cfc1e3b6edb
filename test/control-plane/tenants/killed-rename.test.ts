import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { inTenant } from '../../support/content';
import { killCliAt } from '../../support/child-process';
import { repairInterruptedWork, runDoctor } from '../../../control-plane/doctor/run-doctor';
import { renameTenant } from '../../../control-plane/tenants/rename-tenant';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import { loadTenantSettings, saveTenantSettings } from '../../../workspace/settings/tenant-settings';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

// The real CLI in a child process (start-up, kill, repair): longer than the default 20 s on a loaded machine.
jest.setTimeout(60_000);

/**
 * A rename SIGKILLed between the row's commit and the write of the workspace's own display name
 * (core/process/pause-point.ts `rename:recorded`): the row owes the file its name (the pending
 * `rename`), and the next start, `tenantry doctor --fix` or the next rename writes it.
 */
describe('a rename killed before the workspace file got its name', () => {
  let t: TestPlatform;
  let acme: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    t.platform.router.closeAll();
    await killCliAt('rename:recorded', ['tenants', 'rename', 'acme', '--name', 'Acme Corp', '--slug', 'acme-corp'], {
      DATA_DIR: t.dataDir,
      LOG_LEVEL: 'silent',
    });
  });
  afterEach(() => t.cleanup());

  const ownName = () => inTenant(t.platform, acme, (db) => loadTenantSettings(db, '').displayName);
  const row = () => t.platform.tenants.findById(acme.id) as TenantRecord;

  it('leaves the row renamed with the rename owed and the file still named as before', async () => {
    expect(row()).toMatchObject({ name: 'Acme Corp', slug: 'acme-corp', pending_operation: 'rename' });
    expect(await ownName()).toBe('Acme');
  });

  it("is finished by the next start's repairs: the file and the control plane's copy hold the new name", async () => {
    const report = await repairInterruptedWork(t.platform);
    expect(report.unresolved).toEqual([]);
    expect(report.findings).toEqual([expect.objectContaining({ check: 'operations', subject: 'acme-corp', fixed: true })]);
    expect(await ownName()).toBe('Acme Corp');
    expect(row()).toMatchObject({ name: 'Acme Corp', display_name: 'Acme Corp', pending_operation: null });
  });

  it('is reported by tenantry doctor and finished by tenantry doctor --fix', async () => {
    const seen = await runDoctor({ platform: t.platform, fix: false, deep: false });
    expect(seen.findings).toContainEqual(expect.objectContaining({ check: 'operations', subject: 'acme-corp', problem: expect.stringContaining('rename') }));
    expect(await ownName()).toBe('Acme');
    await runDoctor({ platform: t.platform, fix: true, deep: false });
    expect(await ownName()).toBe('Acme Corp');
    expect(row().pending_operation).toBeNull();
  });

  it("keeps a display name the workspace's admins set after the kill", async () => {
    await inTenant(t.platform, acme, (db) => saveTenantSettings(db, { displayName: 'Acme Studio' }));
    await repairInterruptedWork(t.platform);
    expect(await ownName()).toBe('Acme Studio');
    expect(row().pending_operation).toBeNull();
  });

  it('is finished by the same rename sent again, answered as done', async () => {
    const again = await renameTenant(t.platform, acme.id, { name: 'Acme Corp', slug: 'acme-corp' }, CLI_OPERATOR);
    expect(again.changed).toBe(false);
    expect(await ownName()).toBe('Acme Corp');
    expect(again.tenant.pending_operation).toBeNull();
  });
});
