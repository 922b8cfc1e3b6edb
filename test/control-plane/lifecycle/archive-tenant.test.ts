import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { inTenant } from '../../support/content';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { restoreTenant } from '../../../control-plane/lifecycle/restore-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import { renameTenant } from '../../../control-plane/tenants/rename-tenant';
import { CLI_OPERATOR as RENAME_CLI } from '../../../control-plane/audit/operator';
import { loadTenantSettings } from '../../../workspace/settings/tenant-settings';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe('archiving a tenant whose rename was cut off before its file got the new name', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    // The file's write fails once, as a kill between the row's commit and the file would leave it.
    const ownName = t.platform.workspaceOwnName!;
    jest.spyOn(ownName, 'replace').mockRejectedValueOnce(new Error('killed'));
    await expect(renameTenant(t.platform, acme.id, { name: 'Acme Corp' }, RENAME_CLI)).rejects.toThrow('killed');
  });
  afterEach(() => t.cleanup());

  const ownName = () => inTenant(t.platform, acme, (db) => loadTenantSettings(db, '').displayName);
  const row = () => t.platform.tenants.findById(acme.id) as TenantRecord;

  it('starts from a rename owed to the file', async () => {
    expect(row().pending_operation).toBe('rename');
    expect(await ownName()).toBe('Acme');
  });

  it('finishes the rename first: restored, the workspace goes by the new name and nothing is left pending', async () => {
    const archived = await archiveTenant(t.platform, acme.id, { confirm: 'acme' }, CLI_OPERATOR);
    expect(archived).toMatchObject({ status: 'archived', pending_operation: null });
    await restoreTenant(t.platform, acme.id, CLI_OPERATOR);
    expect(await ownName()).toBe('Acme Corp');
    expect(row()).toMatchObject({ status: 'active', display_name: 'Acme Corp', pending_operation: null });
  });
});
