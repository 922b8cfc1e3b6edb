import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
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
});
