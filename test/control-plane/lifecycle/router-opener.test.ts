import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';

describe("the router's opener", () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  it('opens a live tenant from the live tree and an archived one from the archive', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    const globex = await makeTenant(t.platform, 'globex');
    await archiveTenant(t.platform, globex.id, { confirm: 'globex' }, CLI_OPERATOR);
    const live = t.platform.openTenant(acme.id);
    const archived = t.platform.openTenant(globex.id);
    try {
      expect(live.connection().name).toBe(tenantPaths(t.dataDir, acme.id).database);
      expect(archived.connection().name).toBe(tenantPaths(t.dataDir, globex.id, 'archive').database);
    } finally {
      live.close();
      archived.close();
    }
  });
});
