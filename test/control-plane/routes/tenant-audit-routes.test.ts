import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { parseCsv, seedAuditEvents } from '../../support/audit-events';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

const ROLES = ['owner', 'admin', 'approver', 'editor', 'viewer'] as const;
const ALLOWED = new Set(['owner', 'admin']);

/** The actions shown on a trail page, in order. */
const actionsOn = (html: string) => [...html.matchAll(/<td><code>([a-z0-9_.]+)<\/code><\/td>/g)].map((m) => m[1]);
const fieldsOf = (html: string) => [...html.matchAll(/<li><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);

describe("a tenant's audit trail", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let paged: TenantRecord;
  const users: Record<string, UserRecord> = {};
  const agents: Record<string, Agent> = {};

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha', 'Alpha Studio');
    bravo = await makeTenant(t.platform, 'bravo', 'Bravo Works');
    paged = await makeTenant(t.platform, 'paged', 'Paged');
    for (const role of ROLES) {
      users[role] = await makeUser(t.platform, { email: `${role}@example.com` });
      await addMember(t.platform, users[role], alpha, role);
      agents[role] = await signIn(app, users[role].email);
    }
    users.bob = await makeUser(t.platform, { email: 'bob@example.com' });
    await addMember(t.platform, users.bob, bravo, 'owner');
    await addMember(t.platform, users.owner, paged, 'owner');
    await seedAuditEvents(t.platform, [
      {
        action: 'membership.add',
        tenantId: alpha.id,
        actorUserId: users.owner.id,
        targetType: 'user',
        targetId: users.viewer.id,
        after: { role: 'viewer' },
        at: '2025-03-01T09:00:00Z',
      },
      { action: 'invitation.create', tenantId: alpha.id, actorUserId: users.admin.id, targetType: 'invitation', targetId: 'inv-1', at: '2025-03-10T12:00:00Z' },
      {
        action: 'membership.role_change',
        tenantId: alpha.id,
        actorUserId: users.admin.id,
        targetType: 'user',
        targetId: users.editor.id,
        at: '2025-03-20T23:59:59Z',
      },
      {
        action: 'invitation.create',
        tenantId: alpha.id,
        actorUserId: users.owner.id,
        targetType: 'invitation',
        targetId: 'inv-2',
        userAgent: '=HYPERLINK("http://evil.example")',
        at: '2025-04-02T08:00:00Z',
      },
      {
        action: 'invitation.create',
        tenantId: bravo.id,
        actorUserId: users.bob.id,
        targetType: 'invitation',
        targetId: 'bravo-secret',
        at: '2025-03-11T10:00:00Z',
      },
      { action: 'auth.login', tenantId: null, actorUserId: users.owner.id, targetType: 'user', targetId: 'platform-only', at: '2025-03-12T10:00:00Z' },
      ...Array.from({ length: 120 }, (_, i) => ({
        action: 'item.touch',
        tenantId: paged.id,
        actorUserId: users.owner.id,
        targetType: 'item',
        targetId: `item-${i}`,
        at: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
      })),
    ]);
  });
  afterAll(() => t.cleanup());

  describe('is open to roles with audit.view only', () => {
    const cases = ROLES.flatMap((role) => ['/t/alpha/audit', '/t/alpha/audit.csv'].map((path) => [role, path] as const));
    it.each(cases)('%s GET %s', async (role, path) => {
      const res = await agents[role].get(path);
      expect(res.status).toBe(ALLOWED.has(role) ? 200 : 403);
      if (!ALLOWED.has(role)) expect(res.text).not.toContain('inv-1');
    });

    it('links the trail in the workspace menu only for those roles', async () => {
      expect((await agents.admin.get('/t/alpha')).text).toContain('href="/t/alpha/audit"');
      expect((await agents.viewer.get('/t/alpha')).text).not.toContain('href="/t/alpha/audit"');
    });
  });

  it("shows only this tenant's events, newest first", async () => {
    const res = await agents.owner.get('/t/alpha/audit?action=&actor=&from=&to=');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('bravo-secret');
    expect(res.text).not.toContain('platform-only');
    const seeded = actionsOn(res.text).filter((a) => !a.startsWith('access.'));
    expect(seeded).toEqual(['invitation.create', 'membership.role_change', 'invitation.create', 'membership.add']);
    expect(res.text).toContain('owner@example.com');
    expect(res.text).toContain('{&#34;role&#34;:&#34;viewer&#34;}');
  });

  it('filters by action, by actor email and by date range (whole days)', async () => {
    const byAction = await agents.owner.get('/t/alpha/audit?action=invitation.create');
    expect(actionsOn(byAction.text)).toEqual(['invitation.create', 'invitation.create']);
    const byActor = await agents.owner.get('/t/alpha/audit?actor=ADMIN@example.com');
    expect(actionsOn(byActor.text)).toEqual(['membership.role_change', 'invitation.create']);
    const byDates = await agents.owner.get('/t/alpha/audit?from=2025-03-10&to=2025-03-20');
    expect(actionsOn(byDates.text)).toEqual(['membership.role_change', 'invitation.create']);
    const all = await agents.owner.get('/t/alpha/audit?action=invitation.create&actor=owner@example.com&from=2025-04-01');
    expect(actionsOn(all.text)).toEqual(['invitation.create']);
    expect(all.text).toContain('value="owner@example.com"');
  });

  it("reads the date range as days of the workspace's time zone, the one its rows are shown in", async () => {
    const pacific = await makeTenant(t.platform, 'pacific', 'Pacific');
    await addMember(t.platform, users.owner, pacific, 'owner');
    const settings = { display_name: 'Pacific', accent_color: '#224488', time_zone: 'America/Los_Angeles', language: 'en', storage_quota_mb: '' };
    expect((await postForm(agents.owner, '/t/pacific/settings', settings, '/t/pacific/settings')).status).toBe(303);
    // 23:30 on 11-26 in Los Angeles, already 11-27 in UTC; 00:30 on 11-26 there, still 11-25 in UTC.
    await seedAuditEvents(t.platform, [
      { action: 'late.evening', tenantId: pacific.id, actorUserId: users.owner.id, at: '2025-11-27T07:30:00Z' },
      { action: 'early.morning', tenantId: pacific.id, actorUserId: users.owner.id, at: '2025-11-26T08:30:00Z' },
    ]);
    const day = await agents.owner.get('/t/pacific/audit?from=2025-11-26&to=2025-11-26');
    expect(day.text).toContain('<td>2025-11-26 23:30 GMT-8</td>');
    expect(actionsOn(day.text)).toEqual(['late.evening', 'early.morning']);
    expect(day.text).toContain('From (America/Los_Angeles)');
    expect(actionsOn((await agents.owner.get('/t/pacific/audit?from=2025-11-27&to=2025-11-27')).text)).toEqual([]);
    expect(actionsOn((await agents.owner.get('/t/pacific/audit?from=2025-11-25&to=2025-11-25')).text)).toEqual([]);
    const csv = parseCsv((await agents.owner.get('/t/pacific/audit.csv?from=2025-11-26&to=2025-11-26')).text);
    expect(csv.slice(1).map((r) => r[0])).toEqual(['2025-11-27T07:30:00.000Z', '2025-11-26T08:30:00.000Z']);
  });

  it('offers the actions of the trail as a list, keeping the chosen one selected', async () => {
    const res = await agents.owner.get('/t/alpha/audit?action=invitation.create');
    const select = res.text.slice(res.text.indexOf('<select id="action"'), res.text.indexOf('</select>'));
    expect(select).toContain('<option value="">Any action</option>');
    expect(select).toContain('<option value="invitation.create" selected>');
    expect(select).toContain('<option value="membership.add">');
    expect(select).not.toContain('bravo');
  });

  it('shows a user agent as browser and system, with the full string on hover', async () => {
    const agent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0';
    await seedAuditEvents(t.platform, [
      { action: 'settings.seen', tenantId: alpha.id, actorUserId: users.owner.id, userAgent: agent, at: '2025-06-01T10:00:00Z' },
    ]);
    const res = await agents.owner.get('/t/alpha/audit?action=settings.seen');
    expect(res.text).toContain(`title="${agent}">Firefox 120 on Windows 10</small>`);
  });

  it('pages 50 events at a time, keeping the filters in the links', async () => {
    const first = await agents.owner.get('/t/paged/audit?action=item.touch');
    expect(actionsOn(first.text)).toHaveLength(50);
    expect(first.text).toContain('Page 1 of 3');
    expect(first.text).toContain('item-119');
    expect(first.text).toContain('href="/t/paged/audit?action=item.touch&amp;page=2"');
    const last = await agents.owner.get('/t/paged/audit?action=item.touch&page=3');
    expect(actionsOn(last.text)).toHaveLength(20);
    expect(last.text).toContain('item-0<');
    expect(last.text).not.toContain('item-20<');
  });

  it.each([
    ['an impossible date', 'from=2025-02-30', 'From (UTC)'],
    ['a date in another format', 'to=03/01/2025', 'To (UTC)'],
    ['an end before the start', 'from=2025-03-10&to=2025-03-01', 'To (UTC)'],
    ['a page that is not a number', 'page=two', 'Page'],
    ['a page below 1', 'page=0', 'Page'],
    ['an actor that is not an email', 'actor=%3Cscript%3E', 'Actor (email)'],
    ['an action with odd characters', 'action=DROP%20TABLE', 'Action'],
  ])('refuses %s with 400 naming the field', async (_label, query, field) => {
    const res = await agents.owner.get(`/t/alpha/audit?${query}`);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.text)).toEqual([field]);
    expect(res.text).not.toContain('inv-1');
    const csv = await agents.owner.get(`/t/alpha/audit.csv?${query}`);
    expect(csv.status).toBe(400);
  });

  describe('CSV export', () => {
    it("is an attachment with a header row and this tenant's filtered rows only", async () => {
      const res = await agents.admin.get('/t/alpha/audit.csv?action=invitation.create');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?audit-alpha-\d{4}-\d{2}-\d{2}\.csv"?$/);
      const rows = parseCsv(res.text);
      expect(rows[0]).toEqual([
        'time',
        'tenant',
        'actor',
        'action',
        'target_type',
        'target_id',
        'before',
        'after',
        'ip',
        'user_agent',
        'real_actor',
        'api_token',
      ]);
      expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[5]])).toEqual([
        ['2025-04-02T08:00:00.000Z', 'alpha', 'owner@example.com', 'invitation.create', 'inv-2'],
        ['2025-03-10T12:00:00.000Z', 'alpha', 'admin@example.com', 'invitation.create', 'inv-1'],
      ]);
      expect(res.text).not.toContain('bravo');
    });

    it('holds every matching row, not just one page', async () => {
      const rows = parseCsv((await agents.owner.get('/t/paged/audit.csv')).text);
      expect(rows).toHaveLength(121);
      expect(rows[1][5]).toBe('item-119');
      expect(rows[120][5]).toBe('item-0');
    });

    it('defuses cells a spreadsheet would run as formulas', async () => {
      const rows = parseCsv((await agents.owner.get('/t/alpha/audit.csv?from=2025-04-01')).text);
      const planted = rows.find((r) => r[5] === 'inv-2');
      expect(planted?.[9]).toBe('\'=HYPERLINK("http://evil.example")');
    });
  });

  describe('across tenants', () => {
    it.each([
      ['the trail by slug', '/t/bravo/audit'],
      ['the CSV by URL', '/t/bravo/audit.csv'],
      ['a filtered trail', '/t/bravo/audit?action=invitation.create'],
      ['the trail by tenant id', 'ID'],
    ])("answers 404 when a member of A reads B's %s", async (_label, url) => {
      const res = await agents.owner.get(url === 'ID' ? `/t/${bravo.id}/audit` : url);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('bravo-secret');
    });

    it("ignores a tenant named in the query string: the trail is the URL's tenant's", async () => {
      for (const path of [`/t/alpha/audit?tenant=bravo&tenant_id=${bravo.id}`, `/t/alpha/audit.csv?tenant=bravo&tenant_id=${bravo.id}`]) {
        const res = await agents.owner.get(path);
        expect(res.status).toBe(200);
        expect(res.text).not.toContain('bravo-secret');
      }
    });

    it("records the refused read in B's trail, where B's owner sees it without learning who in A probed", async () => {
      await agents.viewer.get('/t/bravo/audit');
      const bob = await signIn(app, 'bob@example.com');
      const res = await bob.get('/t/bravo/audit?action=access.refused');
      expect(actionsOn(res.text)).toContain('access.refused');
      expect(res.text).toContain('/t/bravo/audit');
      expect(res.text).not.toContain('viewer@example.com');
      expect(res.text).not.toContain(users.viewer.id);
      const csv = await bob.get('/t/bravo/audit.csv?action=access.refused');
      expect(csv.text).not.toContain('viewer@example.com');
      expect(csv.text).not.toContain(users.viewer.id);
      // Nor can the actor filter be used to test whether an address belongs to another client.
      expect(actionsOn((await bob.get('/t/bravo/audit?actor=viewer@example.com')).text)).toEqual([]);
    });

    it("keeps naming its own members, and the platform's super admins, in a tenant's trail", async () => {
      const root = await makeUser(t.platform, { email: 'root@example.com', superAdmin: true });
      await seedAuditEvents(t.platform, [
        { action: 'tenant.suspend', tenantId: bravo.id, actorUserId: root.id, targetType: 'tenant', targetId: bravo.id, at: '2025-05-01T10:00:00Z' },
      ]);
      const bob = await signIn(app, 'bob@example.com');
      const res = await bob.get('/t/bravo/audit?action=tenant.suspend');
      expect(res.text).toContain('root@example.com');
    });
  });
});
