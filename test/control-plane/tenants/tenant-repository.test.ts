import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import { setTenantOverrides } from '../../../control-plane/plans/manage-plans';

describe("a tenant row's updated_at, the revision the console's plan form carries", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());
  afterEach(() => jest.restoreAllMocks());

  it('is raised by every change even within one millisecond, so a form opened between two of them is seen stale', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    const revision = () => t.platform.plans.tenantPlan(acme.id)!.revision;
    jest.spyOn(Date, 'now').mockReturnValue(revision());
    const seen = [revision()];
    setTenantOverrides(t.platform, CLI_OPERATOR, acme, { limit_items: '7' }, 'merge');
    seen.push(revision());
    t.platform.tenants.update(acme.id, { name: 'Acme Corp' });
    seen.push(revision());
    t.platform.tenants.setSchemaVersion(acme.id, acme.schema_version);
    seen.push(revision());
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});
