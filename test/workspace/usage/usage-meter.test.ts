import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TenantDatabase } from '../../../tenant-runtime/tenant-database';
import { migrateTenantConnection, tenantMigrationSource } from '../../../tenant-runtime/tenant-migrator';
import { busiestMemberInPeriod, dailySeries, recordUsage, usedInPeriod } from '../../../workspace/usage/usage-meter';
import { currentUse, usageReport } from '../../../workspace/usage/usage-report';
import { UNLIMITED } from '../../../tenant-runtime/plan-catalogue';

describe('the usage meter', () => {
  let dir: string;
  let db: TenantDatabase;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-usage-'));
    db = new TenantDatabase('t-usage', path.join(dir, 'tenant.sqlite'), { fileMustExist: false });
    await migrateTenantConnection(db.connection(), tenantMigrationSource());
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const at = (iso: string) => new Date(iso);

  it('adds to the UTC day of the action, per member where asked, and sums a month from its days', () => {
    db.write(() => recordUsage(db, 'items_created', 2, { userId: 'u1', at: at('2026-03-01T10:00:00Z') }));
    db.write(() => recordUsage(db, 'items_created', 1, { userId: 'u1', at: at('2026-03-01T23:59:59Z') }));
    db.write(() => recordUsage(db, 'items_created', 4, { userId: 'u2', at: at('2026-03-02T00:00:00Z') }));
    db.write(() => recordUsage(db, 'items_created', 9, { userId: 'u2', at: at('2026-04-01T00:00:00Z') }));
    expect(usedInPeriod(db, 'items_created', 'day', { userId: 'u1', at: at('2026-03-01T12:00:00Z') })).toBe(3);
    expect(usedInPeriod(db, 'items_created', 'day', { userId: 'u2', at: at('2026-03-01T12:00:00Z') })).toBe(0);
    expect(usedInPeriod(db, 'items_created', 'month', { at: at('2026-03-20T00:00:00Z') })).toBe(7);
    expect(busiestMemberInPeriod(db, 'items_created', 'month', at('2026-03-20T00:00:00Z'))).toBe(4);
  });

  it('gives a zero-filled series of the last days, oldest first', () => {
    expect(dailySeries(db, 'items_created', 3, at('2026-03-03T08:00:00Z'))).toEqual([
      { day: '2026-03-01', value: 3 },
      { day: '2026-03-02', value: 4 },
      { day: '2026-03-03', value: 0 },
    ]);
  });

  it('counts nothing when the transaction that recorded it rolls back', () => {
    expect(() =>
      db.write(() => {
        recordUsage(db, 'api_requests', 1, { at: at('2026-05-05T00:00:00Z') });
        throw new Error('the action failed');
      }),
    ).toThrow('the action failed');
    expect(usedInPeriod(db, 'api_requests', 'day', { at: at('2026-05-05T00:00:00Z') })).toBe(0);
  });

  it('reports every limit, measuring storage from the database file, and asks the control plane for members', () => {
    const sources = { members: () => 3, pendingInvitations: () => 1 };
    expect(currentUse(db, 'storage_bytes')).toBeGreaterThan(0);
    expect(() => currentUse(db, 'members')).toThrow(/UsageSources/);
    const report = usageReport(db, { ...UNLIMITED, limits: { ...UNLIMITED.limits, members: 4 } }, { sources });
    expect(report.find((row) => row.key === 'members')).toEqual({ key: 'members', used: 3, limit: 4, percent: 75 });
    expect(report.find((row) => row.key === 'items')).toEqual({ key: 'items', used: 0, limit: null, percent: null });
    expect(report).toHaveLength(8);
  });
});
