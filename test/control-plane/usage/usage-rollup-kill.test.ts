import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { outboxMails } from '../../support/outbox';
import { makeItem } from '../../support/content';
import { killCliAt } from '../../support/child-process';
import { usageRollupDeps } from '../../../app/usage-wiring';
import { rollUpUsage } from '../../../control-plane/usage/roll-up-usage';
import { UsageRollupStore } from '../../../control-plane/usage/usage-rollup-store';
import { LIMIT_KEYS } from '../../../tenant-runtime/plan-catalogue';

// Each case runs the real CLI in child processes (start-up, kill, repair): on a loaded 2-core
// machine that takes longer than the default 20 s.
jest.setTimeout(60_000);

describe('a usage roll-up killed half-way', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('leaves finished tenants complete and the others for the next roll-up, which ends with the right totals and no duplicate', async () => {
    const tenants = [];
    for (let i = 0; i < 3; i++) {
      const tenant = await makeTenant(t.platform, `killed-${i}`);
      for (let n = 0; n <= i; n++) await makeItem(t.platform, tenant);
      tenants.push(tenant);
    }
    await killCliAt('usage-rollup:tenant-saved', ['usage', 'rollup'], { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    const store = new UsageRollupStore(t.platform.db);
    expect(store.scans().size).toBe(1);

    const summary = await rollUpUsage(usageRollupDeps(t.platform));
    expect(summary.opened).toBeGreaterThanOrEqual(2);
    for (const [i, tenant] of tenants.entries()) expect(store.usesOf(tenant.id).find((u) => u.key === 'items')?.used).toBe(i + 1);
    const rows = t.platform.db.get<{ n: number }>('select count(*) as n from tenant_usage')?.n;
    expect(rows).toBe(tenants.length * LIMIT_KEYS.length);
    expect(store.scans().size).toBe(3);
  });

  it('killed after recording an alert and before its mail leaves the mail to the next pass, which sends it once', async () => {
    const tenant = await makeTenant(t.platform, 'alerted', 'Alerted');
    await addMember(t.platform, await makeUser(t.platform, { email: 'owner@alerted.test' }), tenant, 'owner');
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items: 5 } });
    for (let i = 0; i < 4; i++) await makeItem(t.platform, tenant);
    await killCliAt('usage-alerts:recorded', ['usage', 'rollup'], { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    const mailsOf = () => outboxMails(t.dataDir).filter((m) => m.to === 'owner@alerted.test');
    const recorded = t.platform.db.all<{ mailed_at: number | null }>('select mailed_at from usage_alerts where tenant_id = ?', [tenant.id]);
    expect(recorded).toEqual([{ mailed_at: null }]);
    expect(mailsOf()).toHaveLength(0);

    const summary = await rollUpUsage(usageRollupDeps(t.platform));
    expect(summary.alertMailsResent).toBe(1);
    expect(mailsOf().map((m) => m.subject)).toEqual(['Alerted is at 80% of its limit for Content items']);
    await rollUpUsage(usageRollupDeps(t.platform));
    expect(mailsOf()).toHaveLength(1);
  });
});
