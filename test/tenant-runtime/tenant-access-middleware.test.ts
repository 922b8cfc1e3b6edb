import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { signIn, type Agent } from '../support/http-agent';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { auditOf, changeCount } from '../support/team';
import { REFUSAL_WINDOW_MS } from '../../control-plane/audit/refusal-bound';

/** The router lease taken for a tenant request: held for the response, released when it is done. */
describe('tenant access and the router lease', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let globex: TenantRecord;
  let agent: Agent;
  beforeEach(async () => {
    // One open handle at most: a second tenant waits until the first is released.
    t = await createTestPlatform({ TENANT_CACHE_SIZE: '1' });
    acme = await makeTenant(t.platform, 'acme');
    globex = await makeTenant(t.platform, 'globex');
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, acme);
    await addMember(t.platform, user, globex);
    agent = await signIn(createApp(t.platform).app, user.email);
  });
  afterEach(() => t.cleanup());

  it('releases the lease once each response is done', async () => {
    for (const slug of ['acme', 'globex', 'acme']) {
      const res = await agent.get(`/t/${slug}`);
      expect(res.status).toBe(200);
      expect(t.platform.router.stats().inUse).toBe(0);
    }
  });

  it('waits for a handle when every one is in use, then answers', async () => {
    const held = await t.platform.router.acquire(globex.id);
    let answered = false;
    const pending = agent.get('/t/acme').then((res) => {
      answered = true;
      return res;
    });
    // The request reaches the router and waits there (however long the way to it takes on a busy machine).
    for (const deadline = Date.now() + 10_000; t.platform.router.stats().waits === 0 && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(t.platform.router.stats().waits).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    held.release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(t.platform.router.isOpen(acme.id)).toBe(true);
    expect(t.platform.router.stats()).toMatchObject({ inUse: 0, waits: 1 });
  });
});

/** A member of acme knocking at globex's door again and again: 404 each time, one record that counts them. */
describe("refusals at a workspace's door", () => {
  let t: TestPlatform;
  let globex: TenantRecord;
  let mallory: Agent;
  let eve: Agent;
  const refused = () => auditOf(t.platform, 'access.refused');
  const countOf = (row: { after: string | null }) => (JSON.parse(row.after ?? '{}') as { count?: number }).count ?? 1;

  beforeAll(async () => {
    t = await createTestPlatform();
    const acme = await makeTenant(t.platform, 'acme');
    globex = await makeTenant(t.platform, 'globex');
    const app = createApp(t.platform).app;
    for (const email of ['mallory@acme.test', 'eve@acme.test']) await addMember(t.platform, await makeUser(t.platform, { email }), acme);
    mallory = await signIn(app, 'mallory@acme.test');
    eve = await signIn(app, 'eve@acme.test');
  });
  afterAll(() => t.cleanup());
  beforeEach(() => t.platform.db.run("delete from audit_events where action = 'access.refused'"));

  it('answers 50 refused requests by one member with 404 and keeps one record that counts 50, changing nothing else', async () => {
    const changes = changeCount(t.platform);
    for (let n = 1; n <= 50; n++) expect((await mallory.get(n % 2 ? `/t/globex/items/${n}` : '/t/globex')).status).toBe(404);
    expect(refused().map((r) => [r.tenant_id, r.target_id, countOf(r)])).toEqual([[globex.id, '/t/globex/items/1', 50]]);
    expect(changeCount(t.platform)).toBe(changes);
    expect(t.platform.router.isOpen(globex.id)).toBe(false);
  });

  it('keeps two members apart, and an unknown workspace apart from a real one', async () => {
    for (let n = 0; n < 5; n++) {
      await mallory.get('/t/globex');
      await eve.get('/t/globex');
      await mallory.get('/t/initech');
    }
    expect(refused().map((r) => [r.tenant_id, r.target_id, countOf(r)])).toEqual([
      [globex.id, '/t/globex', 5],
      [globex.id, '/t/globex', 5],
      [null, '/t/initech', 5],
    ]);
  });

  it('keeps one record for a burst of identical requests sent at once, all answered 404', async () => {
    const statuses = await Promise.all(Array.from({ length: 20 }, () => mallory.get('/t/globex/items/7').then((res) => res.status)));
    expect(new Set(statuses)).toEqual(new Set([404]));
    expect(refused().map(countOf)).toEqual([20]);
  });

  it('starts a new record once ten minutes have passed since the first', async () => {
    await mallory.get('/t/globex');
    const later = Date.now() + REFUSAL_WINDOW_MS + 1000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      await mallory.get('/t/globex');
      await mallory.get('/t/globex');
    } finally {
      jest.restoreAllMocks();
    }
    expect(refused().map(countOf)).toEqual([1, 2]);
  });
});
