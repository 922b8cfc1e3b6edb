import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { FleetRunLog } from '../../../control-plane/fleet/fleet-run-log';
import { lastOutcomeByTenant } from '../../../control-plane/fleet/fleet-history';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe("each tenant's last fleet outcome", () => {
  let t: TestPlatform;
  let tenants: TenantRecord[];

  beforeAll(async () => {
    t = await createTestPlatform();
    tenants = [
      await makeTenant(t.platform, 'alpha'),
      await makeTenant(t.platform, 'bravo'),
      await makeTenant(t.platform, 'charlie'),
      await makeTenant(t.platform, 'delta'),
    ];
    const [alpha, bravo, charlie] = tenants;
    // alpha is in every run, bravo in the first two, charlie in the first only, delta in none.
    const runs: Array<Array<[TenantRecord, 'migrated' | 'up_to_date' | 'failed']>> = [
      [
        [alpha, 'migrated'],
        [bravo, 'migrated'],
        [charlie, 'failed'],
      ],
      [
        [alpha, 'up_to_date'],
        [bravo, 'failed'],
      ],
      [[alpha, 'failed']],
    ];
    runs.forEach((outcomes, i) => {
      const log = FleetRunLog.start(t.platform.db, `v${i + 1}`, 1);
      for (const [tenant, outcome] of outcomes)
        log.record({
          tenantId: tenant.id,
          slug: tenant.slug,
          migrations: [],
          outcome,
          from: `v${i}`,
          to: `v${i + 1}`,
          error: outcome === 'failed' ? `broke in run ${i + 1}` : undefined,
        });
      log.finish(true);
    });
  });
  afterAll(() => t.cleanup());

  it('is the outcome of the last run that touched the tenant, and none for a tenant no run touched', () => {
    const last = lastOutcomeByTenant(t.platform.db);
    const [alpha, bravo, charlie, delta] = tenants;
    expect(last.size).toBe(3);
    expect(last.get(alpha.id)).toMatchObject({ outcome: 'failed', to_version: 'v3', error: 'broke in run 3' });
    expect(last.get(bravo.id)).toMatchObject({ outcome: 'failed', to_version: 'v2', error: 'broke in run 2' });
    expect(last.get(charlie.id)).toMatchObject({ outcome: 'failed', to_version: 'v1', error: 'broke in run 1' });
    expect(last.get(delta.id)).toBeUndefined();
  });

  it('reads the outcomes in one pass, not all of them again for each one (nothing indexes them by tenant)', () => {
    const prepare = jest.spyOn(t.platform.db, 'prepare');
    let statements: string[];
    try {
      lastOutcomeByTenant(t.platform.db);
      statements = prepare.mock.calls.map(([sql]) => sql);
    } finally {
      prepare.mockRestore();
    }
    expect(statements).toHaveLength(1);
    const plan = (t.platform.db.connection().prepare(`explain query plan ${statements[0]}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    expect(plan).not.toMatch(/CORRELATED/);
    expect(plan).toMatch(/SEARCH t USING INDEX \S+ \(run_id=\? AND tenant_id=\?\)/);
  });
});
