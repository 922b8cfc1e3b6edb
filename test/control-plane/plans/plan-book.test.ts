import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { openPlatformDatabase } from '../../../control-plane/db/platform-database';

describe('the plan book', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('gives a new tenant the default plan: unlimited, every feature on', async () => {
    const tenant = await makeTenant(t.platform, 'fresh');
    expect(t.platform.tenants.findById(tenant.id)?.plan_id).toBe(t.platform.plans.findDefault().id);
    const entitlements = t.platform.planBook.entitlementsOf(tenant.id);
    expect(entitlements.plan.key).toBe('default');
    expect(Object.values(entitlements.limits).every((limit) => limit === null)).toBe(true);
    expect(Object.values(entitlements.features).every(Boolean)).toBe(true);
  });

  it("applies the tenant's overrides over its plan", async () => {
    const tenant = await makeTenant(t.platform, 'small');
    t.platform.plans.create({ key: 'starter', name: 'Starter', limits: { members: 5, items: 100 }, features: { api: false } });
    t.platform.plans.setTenantPlan(tenant.id, t.platform.plans.require('starter').id);
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items: 250, storage_bytes: 1024 }, features: { csv: false } });
    const entitlements = t.platform.planBook.entitlementsOf(tenant.id);
    expect(entitlements.plan).toEqual({ key: 'starter', name: 'Starter' });
    expect(entitlements.limits).toMatchObject({ members: 5, items: 250, storage_bytes: 1024, api_requests_per_day: null });
    expect(entitlements.features).toMatchObject({ api: false, csv: false, attachments: true });
  });

  it('asks the control plane nothing once warm, and sees a change made through the repository at once', async () => {
    const tenant = await makeTenant(t.platform, 'warm');
    const first = t.platform.planBook.entitlementsOf(tenant.id);
    const before = t.platform.db.statementCount;
    expect(t.platform.planBook.entitlementsOf(tenant.id)).toBe(first);
    expect(t.platform.db.statementCount).toBe(before);
    t.platform.plans.update('default', { limits: { members: 50 } });
    expect(t.platform.planBook.entitlementsOf(tenant.id).limits.members).toBe(50);
    t.platform.plans.update('default', { limits: { members: null } });
  });

  it('sees a change another process made (through the data_version check)', async () => {
    const tenant = await makeTenant(t.platform, 'outside');
    expect(t.platform.planBook.entitlementsOf(tenant.id).features.api).toBe(true);
    const other = openPlatformDatabase(t.dataDir);
    try {
      other.run('update tenants set feature_overrides_json = ? where id = ?', ['{"api":false}', tenant.id]);
    } finally {
      other.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(t.platform.planBook.entitlementsOf(tenant.id).features.api).toBe(false);
  });

  it('keeps exactly one default plan', () => {
    t.platform.plans.create({ key: 'agency', name: 'Agency', limits: {}, features: {} });
    t.platform.plans.setDefault('agency');
    expect(
      t.platform.plans
        .list()
        .filter((plan) => plan.isDefault)
        .map((plan) => plan.key),
    ).toEqual(['agency']);
    expect(() => t.platform.db.run("update plans set is_default = 1 where key = 'default'")).toThrow(/UNIQUE/);
    t.platform.plans.setDefault('default');
  });
});
