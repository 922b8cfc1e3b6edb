import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { HOUR, inTenant, makeItem } from '../../support/content';
import { publishDueItems } from '../../../workspace/scheduler/publish-due-items';
import { commitImport } from '../../../workspace/items/csv/commit-import';
import { parseCsv } from '../../../workspace/items/csv/parse-csv';
import { guessMapping } from '../../../workspace/items/csv/column-mapping';
import { workflowContext } from '../../../workspace/workflow/workflow-context';
import { limitPolicy } from '../../../tenant-runtime/limit-check';
import { usedInPeriod } from '../../../workspace/usage/usage-meter';
import { ALL_PERMISSIONS } from '../../../tenant-runtime/permission-catalogue';

/** The limits of the work no single form posts: the scheduler's publishing and a CSV file's rows. */
describe('limited background and bulk work', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('publishes due items up to the day’s limit, counts them, and keeps the rest scheduled for the next UTC day', async () => {
    const tenant = await makeTenant(t.platform, 'sched');
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items_published_per_day: 2 } });
    const now = Date.UTC(2031, 5, 1, 9, 0);
    for (let i = 0; i < 3; i++) await makeItem(t.platform, tenant, { status: 'scheduled', scheduledAt: now - HOUR + i });
    const outcome = await publishDueItems(t.platform, { tenantId: tenant.id, now });
    expect('published' in outcome && outcome.published).toHaveLength(2);
    expect(await inTenant(t.platform, tenant, (db) => db.all('select status from items order by id'))).toEqual([
      { status: 'published' },
      { status: 'published' },
      { status: 'scheduled' },
    ]);
    expect(await inTenant(t.platform, tenant, (db) => usedInPeriod(db, 'items_published', 'day', { at: new Date(now) }))).toBe(2);
    // Not due again until the next day's allowance starts.
    expect(t.platform.scheduleHints.due(Date.UTC(2031, 5, 1, 23, 59), 100)).not.toContain(tenant.id);
    expect(t.platform.scheduleHints.due(Date.UTC(2031, 5, 2), 100)).toContain(tenant.id);
    const nextDay = await publishDueItems(t.platform, { tenantId: tenant.id, now: Date.UTC(2031, 5, 2, 0, 1) });
    expect('published' in nextDay && nextDay.published).toHaveLength(1);
  });

  it('publishes what was due on days the server was down within each of those days’ allowance, so today’s items are not pushed to tomorrow', async () => {
    const tenant = await makeTenant(t.platform, 'catchup');
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items_published_per_day: 2 } });
    const day = (d: number) => Date.UTC(2031, 5, d, 10, 0);
    const plan = async (title: string, scheduledAt: number) => (await makeItem(t.platform, tenant, { title, status: 'scheduled', scheduledAt })).id;
    // Three on the 1st (one more than the plan allows), one on the 2nd, two today, the 3rd.
    for (const [title, at] of [
      ['1a', day(1)],
      ['1b', day(1)],
      ['1c', day(1)],
      ['2a', day(2)],
      ['3a', day(3)],
      ['3b', day(3)],
    ] as const)
      await plan(title, at);

    // The server comes back on the 3rd at 11:00.
    const now = day(3) + HOUR;
    await publishDueItems(t.platform, { tenantId: tenant.id, now });

    const statuses = await inTenant(t.platform, tenant, (db) => db.all<{ title: string; status: string }>('select title, status from items order by id'));
    expect(statuses.filter((row) => row.status === 'scheduled').map((row) => row.title)).toEqual(['3b']);
    const used = (d: number) => inTenant(t.platform, tenant, (db) => usedInPeriod(db, 'items_published', 'day', { at: new Date(day(d)) }));
    // 1a and 1b count on the 1st; 1c, past the 1st's allowance, counts today with 3a; 2a on the 2nd.
    expect([await used(1), await used(2), await used(3)]).toEqual([2, 1, 2]);
    expect(t.platform.scheduleHints.get(tenant.id)).toBe(Date.UTC(2031, 5, 4));
  });

  it("checks a CSV file's rows against the month's import allowance before importing any, and counts them", async () => {
    const tenant = await makeTenant(t.platform, 'csvlim');
    const entitlements = () => t.platform.planBook.entitlementsOf(tenant.id);
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { csv_rows_per_month: 3 } });
    const csv = (rows: string[]) => parseCsv(`title\n${rows.join('\n')}\n`);
    const run = (rows: string[]) =>
      inTenant(t.platform, tenant, (db) => {
        const ctx = workflowContext(db, { id: 'u-importer', name: 'Importer' }, new Set(ALL_PERMISSIONS), undefined, limitPolicy(entitlements(), 'owner'));
        const parsed = csv(rows);
        return commitImport(ctx, parsed, { mapping: guessMapping(parsed.headers), onDuplicate: 'skip', onInvalid: 'reject' }, () => undefined);
      });
    await expect(run(['a', 'b', 'c', 'd'])).rejects.toMatchObject({ code: 'limit_reached', details: { limit: 'csv_rows_per_month', used: 0, max: 3 } });
    expect(await inTenant(t.platform, tenant, (db) => db.get<{ n: number }>('select count(*) as n from items')?.n)).toBe(0);
    await run(['a', 'b', 'c']);
    expect(await inTenant(t.platform, tenant, (db) => usedInPeriod(db, 'csv_rows_imported', 'month'))).toBe(3);
    await expect(run(['e'])).rejects.toMatchObject({ code: 'limit_reached', details: { used: 3, max: 3 } });
    expect(await inTenant(t.platform, tenant, (db) => db.get<{ n: number }>('select count(*) as n from items')?.n)).toBe(3);
  });

  it('checks the item limit once for the whole file', async () => {
    const tenant = await makeTenant(t.platform, 'csvitems');
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items: 2 } });
    const parsed = parseCsv('title\nx\ny\nz\n');
    const refused = inTenant(t.platform, tenant, (db) =>
      commitImport(
        workflowContext(db, { id: 'u1', name: 'I' }, new Set(ALL_PERMISSIONS), undefined, limitPolicy(t.platform.planBook.entitlementsOf(tenant.id), 'editor')),
        parsed,
        { mapping: guessMapping(parsed.headers), onDuplicate: 'skip', onInvalid: 'reject' },
        () => undefined,
      ),
    );
    await expect(refused).rejects.toMatchObject({ code: 'limit_reached', details: { limit: 'items', used: 0, max: 2 } });
    expect(await inTenant(t.platform, tenant, (db) => db.get<{ n: number }>('select count(*) as n from items')?.n)).toBe(0);
  });
});
