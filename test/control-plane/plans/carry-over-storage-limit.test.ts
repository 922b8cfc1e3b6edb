import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { inTenant } from '../../support/content';
import { bringBack, takeOffline } from '../../../control-plane/backups/take-offline';
import { carryOverStorageLimit, StorageLimitCarryOver } from '../../../control-plane/plans/carry-over-storage-limit';
import { openPlatformDatabase } from '../../../control-plane/db/platform-database';
import type { PlanRepository } from '../../../control-plane/plans/plan-repository';
import type { TenantDatabase } from '../../../tenant-runtime/tenant-database';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

const MB = 1024 * 1024;
const LEGACY = "insert into settings (key, value, updated_at) values ('storage_quota_mb', '5', 0)";
const legacyRow = (db: TenantDatabase) => db.get("select value from settings where key = 'storage_quota_mb'");

describe('a storage limit a workspace once set in its own settings', () => {
  let t: TestPlatform;
  let globex: TenantRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    globex = await makeTenant(t.platform, 'globex');
  });
  afterEach(() => t.cleanup());

  const overrides = () => t.platform.plans.tenantPlan(globex.id)?.limitOverrides;

  it('becomes the tenant override and leaves the settings; a value a super admin set since wins', async () => {
    await inTenant(t.platform, globex, (db) => {
      db.run(LEGACY);
      expect(carryOverStorageLimit(t.platform.plans, globex.id, db)).toBe(5 * MB);
      expect(legacyRow(db)).toBeUndefined();
    });
    expect(overrides()).toEqual({ storage_bytes: 5 * MB });
    // Cut off after the override was written: the next run only removes the setting.
    t.platform.plans.setTenantOverrides(globex.id, { limits: { storage_bytes: 9 } });
    await inTenant(t.platform, globex, (db) => {
      db.run(LEGACY);
      carryOverStorageLimit(t.platform.plans, globex.id, db);
      expect(legacyRow(db)).toBeUndefined();
    });
    expect(overrides()).toEqual({ storage_bytes: 9 });
  });

  it('is looked for once per tenant while its file stays the same, and again after the tenant was offline (a restore swaps files then)', async () => {
    await inTenant(t.platform, globex, (db) => db.run(LEGACY));
    t.platform.router.closeTenant(globex.id);
    // Reopened: its file was looked at on the first open, so the settings are not read again.
    expect(await inTenant(t.platform, globex, legacyRow)).toEqual({ value: '5' });
    expect(overrides()).toEqual({});

    takeOffline(t.platform, globex.id, { actorUserId: null, reason: 'restoring a backup', auditAction: 'tenant.restore.started' });
    bringBack(t.platform, globex.id, { actorUserId: null, auditAction: 'tenant.restore.finished', replaced: true });
    expect(await inTenant(t.platform, globex, legacyRow)).toBeUndefined();
    expect(overrides()).toEqual({ storage_bytes: 5 * MB });
  });

  it('is looked for again after another process changed the control plane (a restore from the command line)', async () => {
    await inTenant(t.platform, globex, (db) => db.run(LEGACY));
    t.platform.router.closeTenant(globex.id);
    const other = openPlatformDatabase(t.dataDir);
    try {
      other.run('update tenants set updated_at = ? where id = ?', [Date.now(), globex.id]);
    } finally {
      other.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    t.platform.access.noticeOutsideChanges();
    expect(await inTenant(t.platform, globex, legacyRow)).toBeUndefined();
    expect(overrides()).toEqual({ storage_bytes: 5 * MB });
  });

  it('is tried again on the next open when the carry-over failed', async () => {
    let failures = 1;
    const plans = {
      tenantPlan: (id: string) => {
        if (failures-- > 0) throw new Error('database is locked');
        return t.platform.plans.tenantPlan(id);
      },
      setTenantOverrides: (id: string, changes: Parameters<PlanRepository['setTenantOverrides']>[1]) => t.platform.plans.setTenantOverrides(id, changes),
    } as unknown as PlanRepository;
    const errors: string[] = [];
    const carryOver = new StorageLimitCarryOver(plans, (err) => errors.push((err as Error).message));
    await inTenant(t.platform, globex, (db) => {
      db.run(LEGACY);
      carryOver.afterOpen(globex.id, db);
      expect(errors).toEqual(['database is locked']);
      expect(legacyRow(db)).toEqual({ value: '5' });
      carryOver.afterOpen(globex.id, db);
      expect(legacyRow(db)).toBeUndefined();
    });
    expect(errors).toHaveLength(1);
    expect(overrides()).toEqual({ storage_bytes: 5 * MB });
  });
});
