import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import { parseCsv, seedAuditEvents } from '../../support/audit-events';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

const actionsOn = (html: string) => [...html.matchAll(/<td><code>([a-z0-9_.]+)<\/code><\/td>/g)].map((m) => m[1]);
const fieldsOf = (html: string) => [...html.matchAll(/<li><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);

describe("the super admin's audit trail", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let root: Agent;
  let alice: UserRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha');
    bravo = await makeTenant(t.platform, 'bravo');
    alice = await makeUser(t.platform, { email: 'alice@example.com' });
    await addMember(t.platform, alice, alpha, 'owner');
    await makeUser(t.platform, { email: 'root@example.com', superAdmin: true });
    await seedAuditEvents(t.platform, [
      { action: 'membership.add', tenantId: alpha.id, actorUserId: alice.id, targetId: 'alpha-event', at: '2025-03-01T09:00:00Z' },
      { action: 'membership.add', tenantId: bravo.id, actorUserId: alice.id, targetId: 'bravo-event', at: '2025-03-02T09:00:00Z' },
    ]);
    // The platform's own events, made the way users make them.
    const aliceAgent = await signIn(app, alice.email);
    await aliceAgent.get('/t/bravo');
    await postForm(aliceAgent, '/logout', {});
    const stranger = request.agent(app);
    const _csrf = await csrfFrom(stranger, '/login');
    expect((await stranger.post('/login').type('form').send({ email: 'alice@example.com', password: 'not the password', _csrf })).status).toBe(401);
    root = await signIn(app, 'root@example.com', TEST_PASSWORD);
  });
  afterAll(() => t.cleanup());

  it("shows every tenant's events and the platform's sign-ins, sign-outs, failed sign-ins and refused access", async () => {
    const res = await root.get('/admin/audit');
    expect(res.status).toBe(200);
    const actions = actionsOn(res.text);
    for (const action of ['auth.login', 'auth.logout', 'auth.login_failed', 'access.refused', 'membership.add']) expect(actions).toContain(action);
    expect(res.text).toContain('alpha-event');
    expect(res.text).toContain('bravo-event');
  });

  it('records who failed to sign in, from where', async () => {
    const res = await root.get('/admin/audit?action=auth.login_failed');
    expect(actionsOn(res.text)).toEqual(['auth.login_failed']);
    expect(res.text).toContain('alice@example.com');
    expect(res.text).toContain('127.0.0.1');
  });

  it('filters by tenant slug, and the CSV carries the same rows with a tenant column', async () => {
    const page = await root.get('/admin/audit?tenant=bravo&action=membership.add');
    expect(page.text).toContain('bravo-event');
    expect(page.text).not.toContain('alpha-event');
    const csv = await root.get('/admin/audit.csv?tenant=bravo&action=membership.add');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="?audit-bravo-\d{4}-\d{2}-\d{2}\.csv"?$/);
    const rows = parseCsv(csv.text);
    expect(rows[0][1]).toBe('tenant');
    expect(rows.slice(1).map((r) => [r[1], r[3], r[5]])).toEqual([['bravo', 'membership.add', 'bravo-event']]);
  });

  it("exports every tenant's rows when no tenant is chosen", async () => {
    const rows = parseCsv((await root.get('/admin/audit.csv?action=membership.add')).text);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['bravo', 'alpha']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['2025-03-02T09:00:00.000Z', '2025-03-01T09:00:00.000Z']);
  });

  it.each([
    ['an unknown tenant', 'tenant=nowhere', 'Workspace (slug)'],
    ['a malformed tenant', 'tenant=..%2Fbravo', 'Workspace (slug)'],
    ['a bad start date', 'from=yesterday', 'From (UTC)'],
    ['an end before the start', 'from=2025-03-02&to=2025-03-01', 'To (UTC)'],
  ])('refuses %s with 400 naming the field', async (_label, query, field) => {
    const res = await root.get(`/admin/audit?${query}`);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.text)).toEqual([field]);
    expect((await root.get(`/admin/audit.csv?${query}`)).status).toBe(400);
  });

  it('answers 404 to members who are not super admins, even owners with audit.view', async () => {
    const agent = await signIn(app, alice.email);
    for (const path of ['/admin/audit', '/admin/audit.csv', '/admin/audit?tenant=alpha']) {
      const res = await agent.get(path);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('bravo-event');
    }
  });

  it('sends visitors who are not signed in to the sign-in page', async () => {
    const res = await request(app).get('/admin/audit.csv');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('is linked from the tenants page', async () => {
    expect((await root.get('/admin/tenants')).text).toContain('href="/admin/audit"');
  });

  it('shows the last page for a page past the end of a filtered trail, the filter kept in the pager', async () => {
    await seedAuditEvents(
      t.platform,
      Array.from({ length: 55 }, (_, i) => ({
        action: 'item.create',
        tenantId: alpha.id,
        actorUserId: alice.id,
        targetId: `bulk-${i}`,
        at: '2025-04-01T09:00:00Z',
      })),
    );
    const past = await root.get('/admin/audit?tenant=alpha&action=item.create&page=40');
    expect(past.status).toBe(200);
    expect(past.text).toContain('Page 2 of 2');
    expect(actionsOn(past.text)).toEqual(Array(5).fill('item.create'));
    expect(past.text).toContain('href="/admin/audit?tenant=alpha&amp;action=item.create">Newer</a>');
    expect(past.text).not.toContain('No events match.');
  });
});
