import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { inTenant, makeItem } from '../../support/content';
import { damage } from '../../support/damage';
import { invite } from '../../support/team';
import { rollUpUsage as rollUpNow, type RollupDeps, type RollupOptions } from '../../../control-plane/usage/roll-up-usage';
import { RACY_MS } from '../../../control-plane/usage/tenant-file-stamp';
import { UsageRollupStore } from '../../../control-plane/usage/usage-rollup-store';
import { rolledUpHistory } from '../../../control-plane/usage/usage-history';
import { rollupReader } from '../../../workspace/usage/rollup-reader';
import { recordUsage } from '../../../workspace/usage/usage-meter';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

const DAY = 24 * 3600_000;

/** Rolls up once the files written just before are older than a racy stamp (tenant-file-stamp.ts). */
async function rollUpUsage(deps: RollupDeps, options?: RollupOptions) {
  await new Promise((resolve) => setTimeout(resolve, RACY_MS + 10));
  return rollUpNow(deps, options);
}

describe('the usage roll-up', () => {
  let t: TestPlatform;
  let read: string[];
  let deps: RollupDeps;
  const usesOf = (tenant: TenantRecord) => Object.fromEntries(new UsageRollupStore(t.platform.db).usesOf(tenant.id).map((u) => [u.key, u]));

  beforeEach(async () => {
    t = await createTestPlatform();
    read = [];
    // Counts the tenant files the roll-up reads.
    deps = {
      platform: t.platform,
      reader: {
        ...rollupReader,
        measure: (db, ...rest) => {
          read.push(db.tenantId);
          return rollupReader.measure(db, ...rest);
        },
      },
    };
  });
  afterEach(() => t.cleanup());

  it('reads every tenant once, then only the tenants whose files changed', async () => {
    const tenants = [];
    for (let i = 0; i < 5; i++) tenants.push(await makeTenant(t.platform, `fleet-${i}`));
    const first = await rollUpUsage(deps);
    expect(first).toMatchObject({ tenants: 5, opened: 5, unchanged: 0 });
    expect(new Set(read)).toEqual(new Set(tenants.map((x) => x.id)));

    read = [];
    expect(await rollUpUsage(deps)).toMatchObject({ opened: 0, unchanged: 5 });
    expect(read).toEqual([]);

    await makeItem(t.platform, tenants[3], { title: 'New' });
    const third = await rollUpUsage(deps);
    expect(third).toMatchObject({ opened: 1, unchanged: 4 });
    expect(read).toEqual([tenants[3].id]);
    expect(usesOf(tenants[3]).items.used).toBe(1);
  });

  it('lets the event loop run after each tenant it reads or recomputes, so requests are answered during a pass over many', async () => {
    for (let i = 0; i < 3; i++) await makeTenant(t.platform, `turns-${i}`);
    const order: string[] = [];
    deps.reader = {
      ...rollupReader,
      measure: (db, ...rest) => {
        order.push('tenant');
        return rollupReader.measure(db, ...rest);
      },
    };
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 10));
    const pass = rollUpNow(deps);
    setImmediate(() => order.push('request'));
    expect(await pass).toMatchObject({ opened: 3 });
    expect(order).toEqual(['tenant', 'request', 'tenant', 'tenant']);

    // The day after, every tenant is recomputed from the stored figures (no file read), with turns between them too.
    order.length = 0;
    let recomputed = 0;
    const recomputing = rollUpNow(deps, { at: Date.now() + DAY, onProgress: () => order.push(`tenant ${++recomputed}`) });
    setImmediate(() => order.push('request'));
    expect(await recomputing).toMatchObject({ recomputed: 3 });
    expect(order).toEqual(['tenant 1', 'request', 'tenant 2', 'tenant 3']);
  });

  it('leaves out a tenant purged while the pass let the event loop run, and goes on with the others', async () => {
    const tenants: TenantRecord[] = [];
    for (let i = 0; i < 3; i++) tenants.push(await makeTenant(t.platform, `gone-${i}`));
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 10));
    const pass = rollUpNow(deps);
    // Between the first tenant and the others, another piece of work removes a tenant not read yet.
    let gone = '';
    setImmediate(() => {
      gone = tenants.find((x) => !read.includes(x.id))?.id ?? '';
      if (gone) t.platform.db.run('delete from tenants where id = ?', [gone]);
    });
    expect(await pass).toMatchObject({ opened: 2, failed: [] });
    expect(read).toHaveLength(2);
    expect(read).not.toContain(gone);
  });

  it('leaves changed tenants beyond its budget to the next pass', async () => {
    for (let i = 0; i < 3; i++) await makeTenant(t.platform, `budget-${i}`);
    expect(await rollUpUsage(deps, { maxOpens: 2 })).toMatchObject({ opened: 2, deferred: 1 });
    expect(await rollUpUsage(deps, { maxOpens: 2 })).toMatchObject({ opened: 1, deferred: 0, unchanged: 2 });
    expect(await rollUpUsage(deps, { at: Date.now() + DAY, maxRecomputes: 1 })).toMatchObject({ recomputed: 1, deferred: 2 });
  });

  it('reads a file again when its stamp was taken in the same instant as a write', async () => {
    const tenant = await makeTenant(t.platform, 'racy');
    // The pass's clock reads the instant the file was last written, however long the set-up took.
    const file = tenantPaths(t.platform.config.dataDir, tenant.id).database;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => Math.ceil(fs.statSync(file).mtimeMs));
    try {
      await rollUpNow(deps);
    } finally {
      clock.mockRestore();
    }
    read = [];
    await rollUpUsage(deps);
    expect(read).toEqual([tenant.id]);
    read = [];
    await rollUpUsage(deps);
    expect(read).toEqual([]);
  });

  it('notices a change another process made to a file that is not open here', async () => {
    const tenant = await makeTenant(t.platform, 'outside');
    await rollUpUsage(deps);
    t.platform.router.closeTenant(tenant.id);
    const other = new (require('better-sqlite3'))(tenantPaths(t.dataDir, tenant.id).database);
    other
      .prepare("insert into usage_counters (metric, day, user_id, value) values ('csv_rows_imported', ?, '', 40)")
      .run(new Date().toISOString().slice(0, 10));
    other.close();
    read = [];
    await rollUpUsage(deps);
    expect(read).toEqual([tenant.id]);
    expect(usesOf(tenant).csv_rows_per_month.used).toBe(40);
  });

  it('keeps the use, the limit and the share of each limit, members and invitations included, and storage measured', async () => {
    const tenant = await makeTenant(t.platform, 'measured');
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items: 4, members: 2, pending_invitations: 10 } });
    await addMember(t.platform, await makeUser(t.platform), tenant, 'owner');
    invite(t.platform, tenant, 'guest@example.test');
    await makeItem(t.platform, tenant);
    await rollUpUsage(deps);
    const uses = usesOf(tenant);
    expect(uses.items).toMatchObject({ used: 1, limit: 4, percent: 25, period: '' });
    expect(uses.members).toMatchObject({ used: 1, limit: 2, percent: 50 });
    expect(uses.pending_invitations).toMatchObject({ used: 1, limit: 10, percent: 10 });
    expect(uses.storage_bytes.used).toBeGreaterThanOrEqual(fs.statSync(tenantPaths(t.dataDir, tenant.id).database).size);
    expect(new UsageRollupStore(t.platform.db).scans().get(tenant.id)?.max_percent).toBe(50);
  });

  it('recomputes without reading the file when only a member count or a limit changed', async () => {
    const tenant = await makeTenant(t.platform, 'counts');
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { members: 4 } });
    await rollUpUsage(deps);
    await addMember(t.platform, await makeUser(t.platform), tenant, 'viewer');
    read = [];
    expect(await rollUpUsage(deps)).toMatchObject({ opened: 0, recomputed: 1 });
    expect(read).toEqual([]);
    expect(usesOf(tenant).members).toMatchObject({ used: 1, percent: 25 });
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { members: 2 } });
    await rollUpUsage(deps);
    expect(read).toEqual([]);
    expect(usesOf(tenant).members).toMatchObject({ used: 1, limit: 2, percent: 50 });
  });

  it('counts a metered limit in its period only: the next day starts again at 0, and the chart keeps the days', async () => {
    const tenant = await makeTenant(t.platform, 'metered');
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items_published_per_day: 10 } });
    const today = Date.UTC(2031, 2, 10, 12);
    await inTenant(t.platform, tenant, (db) => recordUsage(db, 'items_published', 7, { at: new Date(today) }));
    await rollUpUsage(deps, { at: today });
    expect(usesOf(tenant).items_published_per_day).toMatchObject({ used: 7, percent: 70, period: '2031-03-10' });
    read = [];
    await rollUpUsage(deps, { at: today + DAY });
    expect(read).toEqual([]);
    expect(usesOf(tenant).items_published_per_day).toMatchObject({ used: 0, percent: 0, period: '2031-03-11' });
    const chart = rolledUpHistory(t.platform.db, tenant.id, today + DAY).find((u) => u.key === 'items_published_per_day');
    expect(chart?.points.slice(-2)).toEqual([
      { day: '2031-03-10', value: 7 },
      { day: '2031-03-11', value: 0 },
    ]);
  });

  it('reports a damaged or missing file and never creates one', async () => {
    const sound = await makeTenant(t.platform, 'sound');
    const broken = await makeTenant(t.platform, 'broken');
    const gone = await makeTenant(t.platform, 'gone');
    damage(t.platform, broken, 'a garbage file');
    t.platform.router.closeTenant(gone.id);
    fs.rmSync(tenantPaths(t.dataDir, gone.id).database);
    const summary = await rollUpUsage(deps);
    expect(summary.failed.map((f) => f.slug).sort()).toEqual(['broken', 'gone']);
    expect(fs.existsSync(tenantPaths(t.dataDir, gone.id).database)).toBe(false);
    expect(new UsageRollupStore(t.platform.db).scans().get(broken.id)?.problem).toMatch(/damaged|database/i);
    expect(usesOf(sound).items).toBeDefined();
    // Reported as any request would: the tenants are marked damaged, and the next pass leaves them alone.
    expect([t.platform.tenants.findById(broken.id)?.status, t.platform.tenants.findById(gone.id)?.status]).toEqual(['damaged', 'damaged']);
    read = [];
    const again = await rollUpUsage(deps);
    expect(again).toMatchObject({ tenants: 1, opened: 0, failed: [] });
    expect(new UsageRollupStore(t.platform.db).scans().get(gone.id)?.problem).toMatch(/missing/);
  });
});
