import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { DAY, HOUR, itemSnapshot, makeItem, tenantContent } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { resumeTenant, suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { restoreTenant } from '../../../control-plane/lifecycle/restore-tenant';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { PublishScheduler } from '../../../workspace/scheduler/publish-scheduler';
import { publishDueItems } from '../../../workspace/scheduler/publish-due-items';
import { createPlan, setTenantOverrides, setTenantPlan, updatePlan } from '../../../control-plane/plans/manage-plans';
import { CLI_OPERATOR as CLI } from '../../../control-plane/audit/operator';

describe('the publishing scheduler', () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let now: number;
  let scheduler: PublishScheduler;
  const T = Date.UTC(2031, 5, 1, 9, 0);

  beforeEach(async () => {
    t = await createTestPlatform();
    alpha = await makeTenant(t.platform, 'alpha');
    bravo = await makeTenant(t.platform, 'bravo');
    now = T - HOUR;
    scheduler = new PublishScheduler(t.platform, { now: () => now });
  });
  afterEach(async () => {
    await scheduler.stop();
    await t.cleanup();
  });

  /** Records which tenants the scheduler asked the router for. */
  function spyOnAcquire(): string[] {
    const asked: string[] = [];
    const original = t.platform.router.acquire.bind(t.platform.router);
    jest.spyOn(t.platform.router, 'acquire').mockImplementation((tenantId: string) => {
      asked.push(tenantId);
      return original(tenantId);
    });
    return asked;
  }

  it('publishes a tenant\'s scheduled items once their time has come, as "scheduler", and moves the hint on', async () => {
    const due = await makeItem(t.platform, alpha, { status: 'scheduled', scheduledAt: T });
    const later = await makeItem(t.platform, alpha, { status: 'scheduled', scheduledAt: T + DAY });
    t.platform.scheduleHints.noteDue(alpha.id, T);

    await scheduler.tick();
    expect((await itemSnapshot(t.platform, alpha, due.id)).item?.status).toBe('scheduled');

    now = T + 1;
    const outcomes = await scheduler.tick();
    expect(outcomes).toEqual([{ tenantId: alpha.id, published: [due.id] }]);
    const snap = await itemSnapshot(t.platform, alpha, due.id);
    expect(snap.item).toMatchObject({ status: 'published', published_at: T + 1 });
    expect(snap.history).toEqual([
      expect.objectContaining({ action: 'publish', from_status: 'scheduled', to_status: 'published', actor_id: null, actor_name: 'scheduler' }),
    ]);
    expect((await itemSnapshot(t.platform, alpha, later.id)).item?.status).toBe('scheduled');
    expect(t.platform.scheduleHints.get(alpha.id)).toBe(T + DAY);

    now = T + DAY;
    await scheduler.tick();
    expect((await itemSnapshot(t.platform, alpha, later.id)).item?.status).toBe('published');
    expect(t.platform.scheduleHints.get(alpha.id)).toBeUndefined();
  });

  it('never reads or writes another tenant: only the tenant with something due is opened, though both hold item 1 at the same time', async () => {
    const a = await makeItem(t.platform, alpha, { title: 'same', status: 'scheduled', scheduledAt: T });
    const b = await makeItem(t.platform, bravo, { title: 'same', status: 'scheduled', scheduledAt: T });
    expect(a.id).toBe(b.id);
    t.platform.scheduleHints.noteDue(alpha.id, T);
    t.platform.scheduleHints.noteDue(bravo.id, T + DAY); // bravo's hint is not due yet
    const bravoBefore = await tenantContent(t.platform, bravo);
    t.platform.router.closeAll();
    const asked = spyOnAcquire();

    now = T + 1;
    await scheduler.tick();

    expect(asked).toEqual([alpha.id]);
    expect(t.platform.router.isOpen(bravo.id)).toBe(false);
    expect((await itemSnapshot(t.platform, alpha, a.id)).item?.status).toBe('published');
    expect(await tenantContent(t.platform, bravo)).toEqual(bravoBefore);
  });

  it('runs one job per tenant, each on its own handle, when both are due', async () => {
    await makeItem(t.platform, alpha, { title: 'alpha item', status: 'scheduled', scheduledAt: T });
    await makeItem(t.platform, bravo, { title: 'bravo item', status: 'scheduled', scheduledAt: T });
    t.platform.scheduleHints.noteDue(alpha.id, T);
    t.platform.scheduleHints.noteDue(bravo.id, T);
    const asked = spyOnAcquire();
    now = T + 1;
    const outcomes = await scheduler.tick();
    expect(asked.sort()).toEqual([alpha.id, bravo.id].sort());
    expect(outcomes).toEqual(
      expect.arrayContaining([
        { tenantId: alpha.id, published: [1] },
        { tenantId: bravo.id, published: [1] },
      ]),
    );
    for (const tenant of [alpha, bravo]) {
      const history = (await tenantContent(t.platform, tenant)).history as Array<{ actor_name: string }>;
      expect(history).toHaveLength(1); // each publish is recorded once, in its own tenant only
    }
  });

  it('lets the event loop run between two tenants it visits, so requests are answered during a pass over many', async () => {
    const charlie = await makeTenant(t.platform, 'charlie');
    for (const tenant of [alpha, bravo, charlie]) {
      await makeItem(t.platform, tenant, { status: 'scheduled', scheduledAt: T });
      t.platform.scheduleHints.noteDue(tenant.id, T);
    }
    const order: string[] = [];
    const original = t.platform.router.acquire.bind(t.platform.router);
    jest.spyOn(t.platform.router, 'acquire').mockImplementation((tenantId: string) => {
      order.push('visit');
      return original(tenantId);
    });
    now = T + 1;
    const pass = scheduler.tick();
    // A request arriving while the pass runs: its callback waits for the event loop's next turn.
    setImmediate(() => order.push('request'));
    expect(await pass).toHaveLength(3);
    expect(order).toEqual(['visit', 'request', 'visit', 'visit']);
  });

  it('skips a suspended tenant without opening it, keeps its hint, and publishes after it is resumed', async () => {
    const item = await makeItem(t.platform, alpha, { status: 'scheduled', scheduledAt: T });
    t.platform.scheduleHints.noteDue(alpha.id, T);
    suspendTenant(t.platform, alpha.id, { reason: 'Invoice unpaid' }, CLI_OPERATOR);
    const asked = spyOnAcquire();
    now = T + 1;
    await scheduler.tick();
    expect(asked).toEqual([]);
    expect(t.platform.scheduleHints.get(alpha.id)).toBe(T);

    resumeTenant(t.platform, alpha.id, CLI_OPERATOR);
    await scheduler.tick();
    expect((await itemSnapshot(t.platform, alpha, item.id)).item?.status).toBe('published');
  });

  it('re-checks the status before opening: a job for a tenant suspended meanwhile is skipped', async () => {
    const item = await makeItem(t.platform, alpha, { status: 'scheduled', scheduledAt: T });
    suspendTenant(t.platform, alpha.id, { reason: 'Invoice unpaid' }, CLI_OPERATOR);
    const asked = spyOnAcquire();
    const outcome = await publishDueItems(t.platform, { tenantId: alpha.id, now: T + 1 });
    expect(outcome).toEqual({ tenantId: alpha.id, skipped: 'not-active' });
    expect(asked).toEqual([]);
    resumeTenant(t.platform, alpha.id, CLI_OPERATOR);
    expect((await itemSnapshot(t.platform, alpha, item.id)).item?.status).toBe('scheduled');
  });

  it('re-checks the status once it holds the handle: nothing is published into a tenant archived while the scheduler waited for a free handle', async () => {
    const item = await makeItem(t.platform, alpha, { status: 'scheduled', scheduledAt: T });
    t.platform.scheduleHints.noteDue(alpha.id, T);
    // Every handle was in use: the scheduler's lease waited, and meanwhile an operator archived the tenant.
    const lease = t.platform.router.acquire.bind(t.platform.router);
    jest.spyOn(t.platform.router, 'acquire').mockImplementationOnce(async (tenantId: string) => {
      await archiveTenant(t.platform, alpha.id, { confirm: 'alpha' }, CLI_OPERATOR);
      return lease(tenantId);
    });
    now = T + 1;
    expect(await scheduler.tick()).toEqual([{ tenantId: alpha.id, skipped: 'not-active' }]);
    expect(t.platform.router.isOpen(alpha.id)).toBe(false);
    expect(t.platform.scheduleHints.get(alpha.id)).toBe(T);
    expect(fs.existsSync(tenantPaths(t.dataDir, alpha.id, 'archive').dir)).toBe(true);

    // Restored, it publishes then, as a suspended tenant does once resumed.
    await restoreTenant(t.platform, alpha.id, CLI_OPERATOR);
    expect((await itemSnapshot(t.platform, alpha, item.id)).item?.status).toBe('scheduled');
    await scheduler.tick();
    expect((await itemSnapshot(t.platform, alpha, item.id)).item?.status).toBe('published');
  });

  it('leaves items that were unscheduled or archived meanwhile alone, and drops the stale hint', async () => {
    const item = await makeItem(t.platform, alpha, { status: 'approved', scheduledAt: T });
    t.platform.scheduleHints.noteDue(alpha.id, T);
    now = T + 1;
    expect(await scheduler.tick()).toEqual([{ tenantId: alpha.id, published: [] }]);
    expect((await itemSnapshot(t.platform, alpha, item.id)).item?.status).toBe('approved');
    expect(t.platform.scheduleHints.get(alpha.id)).toBeUndefined();
  });

  describe('many items due at once', () => {
    /** Five items due at T, and a spy that counts the write transactions the publishing job opens. */
    async function fiveDue(): Promise<{ ids: number[]; writes: () => number; afterFirstWrite: (fn: () => void) => void }> {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await makeItem(t.platform, alpha, { status: 'scheduled', scheduledAt: T })).id);
      let writes = 0;
      let hook: (() => void) | undefined;
      const spied = new WeakSet<object>();
      const original = t.platform.router.acquire.bind(t.platform.router);
      jest.spyOn(t.platform.router, 'acquire').mockImplementation(async (tenantId: string) => {
        const lease = await original(tenantId);
        if (spied.has(lease.db)) return lease;
        spied.add(lease.db);
        const write = lease.db.write.bind(lease.db);
        jest.spyOn(lease.db, 'write').mockImplementation(<R>(fn: () => R): R => {
          const result = write(fn);
          if (++writes === 1 && hook) setImmediate(hook);
          return result;
        });
        return lease;
      });
      return { ids, writes: () => writes, afterFirstWrite: (fn) => (hook = fn) };
    }

    it('publishes them in bounded batches, one transaction each, with each item published and recorded once', async () => {
      const { ids, writes } = await fiveDue();
      const outcome = await publishDueItems(t.platform, { tenantId: alpha.id, now: T + 1, batchSize: 2 });
      expect(outcome).toEqual({ tenantId: alpha.id, published: ids });
      expect(writes()).toBe(3);
      for (const id of ids) {
        const snap = await itemSnapshot(t.platform, alpha, id);
        expect(snap.item?.status).toBe('published');
        expect(snap.history).toHaveLength(1);
      }
    });

    it('lets other work run between batches, and leaves alone an item unscheduled meanwhile', async () => {
      const { ids, afterFirstWrite } = await fiveDue();
      const last = ids[4];
      // Another connection (a request elsewhere, another process) unschedules the last item once the first batch is written.
      afterFirstWrite(() => {
        const other = new BetterSqlite3(tenantPaths(t.dataDir, alpha.id).database);
        other.pragma('busy_timeout = 1000');
        other.prepare("update items set status = 'approved' where id = ? and status = 'scheduled'").run(last);
        other.close();
      });
      const outcome = await publishDueItems(t.platform, { tenantId: alpha.id, now: T + 1, batchSize: 2 });
      expect(outcome).toEqual({ tenantId: alpha.id, published: ids.slice(0, 4) });
      const snap = await itemSnapshot(t.platform, alpha, last);
      expect(snap.item?.status).toBe('approved');
      expect(snap.history).toEqual([]);
    });

    it('publishes each item once when two jobs for the tenant run at the same time', async () => {
      const { ids } = await fiveDue();
      const [a, b] = await Promise.all([
        publishDueItems(t.platform, { tenantId: alpha.id, now: T + 1, batchSize: 2 }),
        publishDueItems(t.platform, { tenantId: alpha.id, now: T + 1, batchSize: 2 }),
      ]);
      const published = [...('published' in a ? a.published : []), ...('published' in b ? b.published : [])].sort((x, y) => x - y);
      expect(published).toEqual(ids);
      const history = (await tenantContent(t.platform, alpha)).history as unknown[];
      expect(history).toHaveLength(5);
    });

    it('stops between batches when the tenant is suspended meanwhile, and keeps its hint for the rest', async () => {
      const { ids, afterFirstWrite } = await fiveDue();
      t.platform.scheduleHints.noteDue(alpha.id, T);
      afterFirstWrite(() => suspendTenant(t.platform, alpha.id, { reason: 'Invoice unpaid' }, CLI_OPERATOR));
      const outcome = await publishDueItems(t.platform, { tenantId: alpha.id, now: T + 1, batchSize: 2 });
      expect(outcome).toEqual({ tenantId: alpha.id, published: ids.slice(0, 2) });
      expect(t.platform.scheduleHints.get(alpha.id)).toBe(T);
      resumeTenant(t.platform, alpha.id, CLI_OPERATOR);
      expect(await publishDueItems(t.platform, { tenantId: alpha.id, now: T + 2, batchSize: 2 })).toEqual({ tenantId: alpha.id, published: ids.slice(2) });
    });
  });

  it('goes on with other tenants when one cannot be opened', async () => {
    await makeItem(t.platform, bravo, { status: 'scheduled', scheduledAt: T });
    t.platform.scheduleHints.noteDue(alpha.id, T - 1);
    t.platform.scheduleHints.noteDue(bravo.id, T);
    t.platform.router.closeAll();
    fs.rmSync(tenantPaths(t.dataDir, alpha.id).database);
    now = T + 1;
    const outcomes = await scheduler.tick();
    expect(outcomes).toEqual([{ tenantId: bravo.id, published: [1] }]);
    expect(t.platform.scheduleHints.get(alpha.id)).toBe(T - 1); // kept: retried on the next tick
  });

  describe("items held back by the plan's items published per day", () => {
    const midnight = Date.UTC(2031, 5, 2);
    let held: number;

    beforeEach(async () => {
      setTenantOverrides(t.platform, CLI, alpha, { limit_items_published_per_day: '1' }, 'merge');
      await makeItem(t.platform, alpha, { status: 'scheduled', scheduledAt: T });
      held = (await makeItem(t.platform, alpha, { status: 'scheduled', scheduledAt: T })).id;
      t.platform.scheduleHints.noteDue(alpha.id, T);
      now = T + 1;
      await scheduler.tick();
      expect((await itemSnapshot(t.platform, alpha, held)).item?.status).toBe('scheduled');
      expect(t.platform.scheduleHints.get(alpha.id)).toBe(midnight);
      now = T + HOUR;
    });

    it("go out at the next pass once the tenant's limit is raised, not after midnight", async () => {
      setTenantOverrides(t.platform, CLI, alpha, { limit_items_published_per_day: '10' }, 'merge');
      await scheduler.tick();
      expect((await itemSnapshot(t.platform, alpha, held)).item).toMatchObject({ status: 'published', published_at: T + HOUR });
    });

    it('go out at the next pass once the tenant is moved to a plan with room, or its plan is given room', async () => {
      createPlan(t.platform, CLI, { key: 'pro', name: 'Pro', limit_items_published_per_day: '1' }, 'partial');
      setTenantOverrides(t.platform, CLI, alpha, {}, 'replace');
      setTenantPlan(t.platform, CLI, alpha, 'pro');
      await scheduler.tick();
      expect((await itemSnapshot(t.platform, alpha, held)).item?.status).toBe('scheduled'); // still no room: held again
      expect(t.platform.scheduleHints.get(alpha.id)).toBe(midnight);

      updatePlan(t.platform, CLI, 'pro', { limit_items_published_per_day: '5' }, 'partial');
      await scheduler.tick();
      expect((await itemSnapshot(t.platform, alpha, held)).item?.status).toBe('published');
    });

    it('leave the hints of other tenants where they are', () => {
      t.platform.scheduleHints.noteDue(bravo.id, midnight);
      setTenantOverrides(t.platform, CLI, alpha, { limit_items_published_per_day: '10' }, 'merge');
      expect(t.platform.scheduleHints.get(bravo.id)).toBe(midnight);
    });
  });

  it('keeps the earliest time when several items are scheduled', () => {
    t.platform.scheduleHints.noteDue(alpha.id, T + DAY);
    t.platform.scheduleHints.noteDue(alpha.id, T);
    t.platform.scheduleHints.noteDue(alpha.id, T + 2 * DAY);
    expect(t.platform.scheduleHints.get(alpha.id)).toBe(T);
  });

  it("runs on an unref'd timer until stopped", async () => {
    const item = await makeItem(t.platform, alpha, { status: 'scheduled', scheduledAt: T });
    now = T + 1;
    const live = new PublishScheduler(t.platform, { intervalMs: 10, now: () => now });
    t.platform.scheduleHints.noteDue(alpha.id, T);
    live.start();
    expect((live as unknown as { timer: NodeJS.Timeout }).timer.hasRef()).toBe(false);
    for (let i = 0; i < 100 && (await itemSnapshot(t.platform, alpha, item.id)).item?.status !== 'published'; i++) await new Promise((r) => setTimeout(r, 10));
    await live.stop();
    expect((await itemSnapshot(t.platform, alpha, item.id)).item?.status).toBe('published');
  });
});
