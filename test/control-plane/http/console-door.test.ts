import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { auditOf, changeCount } from '../../support/team';
import { submitFrom } from '../../support/accounts';
import { REFUSAL_WINDOW_MS } from '../../../control-plane/audit/refusal-bound';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** The console (`/admin/...`) to anyone signed in who is no super admin: the same 404 everywhere, recorded once per window. */
describe("the console's door", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let mallory: UserRecord;
  let memberAgent: Agent;
  let eveAgent: Agent;
  let rootAgent: Agent;
  const refused = () => auditOf(t.platform, 'access.refused');
  const afterOf = (row: { after: string | null }) => JSON.parse(row.after ?? '{}') as Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const acme = await makeTenant(t.platform, 'acme');
    mallory = await makeUser(t.platform, { email: 'mallory@acme.test', name: 'Mallory Member' });
    const eve = await makeUser(t.platform, { email: 'eve@acme.test' });
    await addMember(t.platform, mallory, acme, 'owner');
    await addMember(t.platform, eve, acme, 'viewer');
    await makeUser(t.platform, { email: 'root@example.com', superAdmin: true });
    memberAgent = await signIn(app, mallory.email);
    eveAgent = await signIn(app, eve.email);
    rootAgent = await signIn(app, 'root@example.com');
  });
  afterAll(() => t.cleanup());
  beforeEach(() => t.platform.db.run("delete from audit_events where action = 'access.refused'"));

  it('answers 50 requests of a member anywhere in the console with 404 and records them once, counting 50', async () => {
    const paths = ['/admin', '/admin/tenants', '/admin/users', '/admin/audit', '/admin/no-such-page'];
    for (let n = 0; n < 50; n++) {
      const res = await memberAgent.get(paths[n % paths.length]);
      expect(res.status).toBe(404);
    }
    const rows = refused();
    expect(rows).toEqual([
      expect.objectContaining({ actor_user_id: mallory.id, tenant_id: null, target_type: 'path', target_id: '/admin', ip: expect.any(String) }),
    ]);
    expect(afterOf(rows[0])).toMatchObject({ count: 50, method: 'GET', path: '/admin', last_path: '/admin/no-such-page' });
  });

  it('refuses a form sent to the console with 404, recorded, creating nothing', async () => {
    const changes = changeCount(t.platform);
    const tenants = t.platform.tenants.list().length;
    const res = await submitFrom(memberAgent, '/tenants', '/admin/tenants', { name: 'Mallory Inc', slug: 'mallory', owner: mallory.email });
    expect(res.status).toBe(404);
    expect(t.platform.tenants.list()).toHaveLength(tenants);
    expect(changeCount(t.platform)).toBe(changes);
    expect(refused().map((r) => [r.target_id, afterOf(r).method])).toEqual([['/admin/tenants', 'POST']]);
  });

  it('keeps two members apart, and the console apart from a workspace they may not open', async () => {
    for (let n = 0; n < 3; n++) {
      await memberAgent.get('/admin/tenants');
      await eveAgent.get('/admin/tenants');
      await memberAgent.get('/t/nowhere');
    }
    expect(refused().map((r) => [r.actor_user_id, r.target_id, afterOf(r).count])).toEqual([
      [mallory.id, '/admin/tenants', 3],
      [expect.not.stringMatching(mallory.id), '/admin/tenants', 3],
      [mallory.id, '/t/nowhere', 3],
    ]);
  });

  it('keeps one record for a burst of identical requests sent at once', async () => {
    const statuses = await Promise.all(Array.from({ length: 20 }, () => memberAgent.get('/admin/tenants').then((res) => res.status)));
    expect(new Set(statuses)).toEqual(new Set([404]));
    expect(refused().map((r) => afterOf(r).count)).toEqual([20]);
  });

  it('starts a new record once ten minutes have passed since the first', async () => {
    await memberAgent.get('/admin');
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + REFUSAL_WINDOW_MS + 1000);
    try {
      await memberAgent.get('/admin');
    } finally {
      jest.restoreAllMocks();
    }
    expect(refused().map((r) => afterOf(r).count ?? 1)).toEqual([1, 1]);
  });

  it('records nothing for a super admin, even at an address the console does not have', async () => {
    expect((await rootAgent.get('/admin/tenants')).status).toBe(200);
    expect((await rootAgent.get('/admin/no-such-page')).status).toBe(404);
    expect(refused()).toEqual([]);
  });

  it('asks someone signed out to sign in, recording nothing', async () => {
    const res = await request(app).get('/admin/tenants');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fadmin%2Ftenants');
    expect(refused()).toEqual([]);
  });

  it('records nothing for a super admin acting as a member, who gets the same 404', async () => {
    const root = await signIn(app, 'root@example.com');
    const started = await submitFrom(root, `/admin/users/${mallory.id}`, `/admin/users/${mallory.id}/impersonate`, {
      reason: 'Ticket 4711: the client cannot find the approve button',
    });
    expect(started.status).toBe(303);
    expect((await root.get('/admin/tenants')).status).toBe(404);
    expect(refused()).toEqual([]);
  });
});
