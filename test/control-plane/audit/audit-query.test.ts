import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { seedAuditEvents } from '../../support/audit-events';
import { plansOf as plansOn } from '../../support/query-plans';
import { auditFilterSchema } from '../../../control-plane/audit/audit-filter';
import { auditActions, auditBatches, auditPage } from '../../../control-plane/audit/audit-query';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe("a trail's page of audit events", () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let ada: UserRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    const other = await makeTenant(t.platform, 'other');
    ada = await makeUser(t.platform, { email: 'ada@acme.test' });
    const bob = await makeUser(t.platform, { email: 'bob@acme.test' });
    await addMember(t.platform, ada, acme, 'owner');
    await addMember(t.platform, bob, acme, 'editor');
    const events = Array.from({ length: 30 }, (_, i) => ({
      action: 'item.created',
      tenantId: acme.id,
      actorUserId: i % 3 ? ada.id : bob.id,
      at: `2025-03-01T10:${String(i).padStart(2, '0')}:00Z`,
    }));
    await seedAuditEvents(t.platform, [...events, { action: 'item.created', tenantId: other.id, actorUserId: ada.id, at: '2025-03-01T12:00:00Z' }]);
  });
  afterAll(() => t.cleanup());

  /** The page, and the statement that counted its events. */
  function pageWithCount(query: Record<string, string>) {
    const prepare = jest.spyOn(t.platform.db, 'prepare');
    try {
      const page = auditPage(t.platform.db, { tenantId: acme.id }, auditFilterSchema('UTC').parse(query), 10);
      const countSql = prepare.mock.calls.map(([sql]) => sql).find((sql) => /count\(\*\)/.test(sql)) as string;
      return { page, countSql };
    } finally {
      prepare.mockRestore();
    }
  }

  it('counts the events from the events alone when no filter names an actor, as many as there are', () => {
    const { page, countSql } = pageWithCount({});
    expect(page).toMatchObject({ total: 30, pages: 3 });
    expect(page.events).toHaveLength(10);
    expect(countSql).not.toMatch(/\bjoin\b/i);
  });

  it("joins the members' addresses to count the events of one actor, and never the tokens", () => {
    const { page, countSql } = pageWithCount({ actor: 'ada@acme.test' });
    expect(page.total).toBe(20);
    expect(page.events.every((e) => e.actor_email === 'ada@acme.test')).toBe(true);
    expect(countSql).not.toMatch(/api_tokens/);
  });

  it('stops counting at a cap, and pages on while a page has rows after it', () => {
    const filter = (page: number) => auditFilterSchema('UTC').parse({ page: String(page) });
    const first = auditPage(t.platform.db, { tenantId: acme.id }, filter(1), 10, 25);
    const third = auditPage(t.platform.db, { tenantId: acme.id }, filter(3), 10, 25);

    expect(first).toMatchObject({ total: 25, more: true, pages: undefined, hasNext: true });
    expect(first.events).toHaveLength(10);
    expect(third).toMatchObject({ hasNext: false });
    expect(third.events).toHaveLength(10);
  });

  /** Every statement `run` prepares on the platform, with SQLite's plan for each. */
  const plansOf = (run: () => void) => plansOn(t.platform.db, run);

  it("reads the platform's trail newest first from its index, for a page and for every batch of its CSV, sorting nothing", () => {
    const all = { allTenants: true } as const;
    const filter = auditFilterSchema('UTC').parse({});
    const batches: number[] = [];
    const plans = plansOf(() => {
      auditPage(t.platform.db, all, filter, 10);
      for (const batch of auditBatches(t.platform.db, all, filter, 12)) batches.push(batch.length);
    }).filter((p) => /order by/i.test(p.sql));
    expect(batches).toEqual([12, 12, 7]);
    expect(plans).toHaveLength(4);
    for (const { plan } of plans) {
      expect(plan).toMatch(/audit_events_created_at_index/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
  });

  it.each([
    ['an action', { action: 'item.created' }, /audit_events_action_created_at_index/],
    ['an actor', { actor: 'ada@acme.test' }, /audit_events_actor_user_id_created_at_index/],
  ])("reads the platform's trail filtered by %s newest first from its index, sorting nothing", (_label, query, index) => {
    const filter = auditFilterSchema('UTC').parse(query);
    let shown: string[] = [];
    const plans = plansOf(() => {
      shown = auditPage(t.platform.db, { allTenants: true }, filter, 10).events.map((e) => `${e.action} ${e.actor_email}`);
    }).filter((p) => /order by/i.test(p.sql));
    expect(shown).toHaveLength(10);
    expect(plans).toHaveLength(1);
    expect(plans[0].plan).toMatch(index);
    expect(plans[0].plan).not.toMatch(/TEMP B-TREE/);
  });

  it("reads a workspace's trail filtered by an action newest first from its index, sorting nothing and reading no other workspace's events", () => {
    const filter = auditFilterSchema('UTC').parse({ action: 'item.created' });
    let shown = 0;
    const plans = plansOf(() => {
      shown = auditPage(t.platform.db, { tenantId: acme.id }, filter, 10).events.length;
    }).filter((p) => /order by/i.test(p.sql));
    expect(shown).toBe(10);
    expect(plans).toHaveLength(1);
    expect(plans[0].plan).toMatch(/audit_events_tenant_id_action_created_at_index \(tenant_id=\? AND action=\?\)/);
    expect(plans[0].plan).not.toMatch(/TEMP B-TREE/);
  });

  it("chooses a page deep in a workspace's trail from its covering index, joining names to that page's events only", () => {
    const filter = auditFilterSchema('UTC').parse({ page: '3' });
    let shown: string[] = [];
    const plans = plansOf(() => {
      shown = auditPage(t.platform.db, { tenantId: acme.id }, filter, 4).events.map(
        (e) => `${new Date(e.created_at).toISOString().slice(11, 16)} ${e.actor_email}`,
      );
    }).filter((p) => /order by/i.test(p.sql));
    // 30 events from 10:00 to 10:29, newest first: the third page of four holds 10:21 down to 10:18.
    expect(shown).toEqual(['10:21 bob@acme.test', '10:20 ada@acme.test', '10:19 ada@acme.test', '10:18 bob@acme.test']);
    expect(plans).toHaveLength(1);
    // The offset skips entries of the index alone; the rows read and joined are the page's.
    expect(plans[0].plan).toMatch(/SEARCH e USING COVERING INDEX audit_events_tenant_id_created_at_index \(tenant_id=\?\)/);
    expect(plans[0].plan).toMatch(/SEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(plans[0].plan).not.toMatch(/TEMP B-TREE/);
  });

  it("lists the platform's actions by seeking each from the (action, created_at) index, without reading every event's entry", () => {
    const plans = plansOf(() => expect(auditActions(t.platform.db, { allTenants: true })).toEqual(['item.created']));
    const plan = plans.map((p) => p.plan).join('; ');
    expect(plan).toMatch(/SEARCH e USING COVERING INDEX audit_events_action_created_at_index \(action>\?\)/);
    expect(plan).not.toMatch(/SCAN (audit_events|e)\b/);
  });

  it("lists a tenant's actions by seeking each from its (tenant_id, action, created_at) index, without reading its events", () => {
    const plans = plansOf(() => expect(auditActions(t.platform.db, { tenantId: acme.id })).toEqual(['item.created']));
    const plan = plans.map((p) => p.plan).join('; ');
    expect(plan).toMatch(/SEARCH e USING COVERING INDEX audit_events_tenant_id_action_created_at_index \(tenant_id=\? AND action>\?\)/);
    expect(plan).not.toMatch(/SCAN (audit_events|e)\b/);
  });
});
