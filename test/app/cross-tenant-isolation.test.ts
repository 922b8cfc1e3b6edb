import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { ItemRepository } from '../../workspace/items/item-repository';
import { mainOf } from '../support/page-main';

describe('two tenants holding rows with the same ids', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let a: TenantRecord;
  let b: TenantRecord;
  let alice: Agent; // owner of A only

  const titlesOf = async (tenant: TenantRecord) => {
    const lease = await t.platform.router.acquire(tenant.id);
    try {
      return lease.db.all<{ title: string }>('select title from items order by id desc').map((i) => i.title);
    } finally {
      lease.release();
    }
  };

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    a = await makeTenant(t.platform, 'alpha');
    b = await makeTenant(t.platform, 'bravo');
    for (const [tenant, title] of [
      [a, 'alpha secret'],
      [b, 'bravo secret'],
    ] as const) {
      const lease = await t.platform.router.acquire(tenant.id);
      new ItemRepository(lease.db).create({ title, body: `${title} body`, createdBy: 'seed' });
      lease.release();
    }
    const aliceUser = await makeUser(t.platform, { email: 'alice@example.com' });
    await addMember(t.platform, aliceUser, a, 'owner');
    const bob = await makeUser(t.platform, { email: 'bob@example.com' });
    await addMember(t.platform, bob, b, 'owner');
    alice = await signIn(app, aliceUser.email);
  });
  afterEach(() => t.cleanup());

  it('shows each member only their own tenant, though both have an item with id 1', async () => {
    const own = await alice.get('/t/alpha/items/1');
    expect(own.status).toBe(200);
    expect(own.text).toContain('alpha secret');
    expect(own.text).not.toContain('bravo secret');
  });

  it.each([
    ['the home page by slug', '/t/bravo'],
    ['an item by id and URL', '/t/bravo/items/1'],
    ['the item list', '/t/bravo/items'],
    ['the JSON API', '/t/bravo/api/items/1'],
    ['a slug with different case', '/t/BRAVO/items/1'],
    ['an encoded traversal', '/t/alpha%2F..%2Fbravo/items/1'],
    ['the tenant id in place of the slug', 'ID'],
  ])('answers 404 when a member of A reads B through %s', async (_label, url) => {
    const res = await alice.get(url === 'ID' ? `/t/${b.id}/items/1` : url);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('bravo secret');
  });

  it("answers 404 and changes nothing when a member of A edits or deletes B's item by URL", async () => {
    expect((await postForm(alice, '/t/bravo/items/1', { title: 'pwned', body: '' })).status).toBe(404);
    expect((await postForm(alice, '/t/bravo/items/1/delete', { confirmed: 'yes' })).status).toBe(404);
    expect((await postForm(alice, '/t/bravo/items', { title: 'planted', body: '' })).status).toBe(404);
    expect(await titlesOf(b)).toEqual(['bravo secret']);
  });

  it("ignores a tenant named in a form field: writes land in the URL's tenant, where membership was proven", async () => {
    const res = await postForm(alice, '/t/alpha/items/1', { title: 'renamed', body: '', tenant: 'bravo', slug: 'bravo', tenant_id: b.id });
    expect(res.status).toBe(303);
    expect(await titlesOf(a)).toEqual(['renamed']);
    expect(await titlesOf(b)).toEqual(['bravo secret']);
  });

  it('gives the same 404 page for an unknown slug, a non-member and an archived tenant', async () => {
    const unknown = await alice.get('/t/nowhere');
    const nonMember = await alice.get('/t/bravo');
    await t.platform.tenants.update(a.id, { status: 'archived' });
    const archived = await alice.get('/t/alpha');
    for (const res of [unknown, nonMember, archived]) expect(res.status).toBe(404);
    // The page body is identical; only the header's workspace switcher reflects the user's own tenants.
    const body = mainOf;
    expect(body(nonMember.text)).toBe(body(unknown.text));
    expect(body(archived.text)).toBe(body(unknown.text));
  });

  it('tells a member of a suspended tenant it is suspended, and a non-member nothing', async () => {
    await t.platform.tenants.update(b.id, { status: 'suspended', status_reason: 'Unpaid' });
    const unknown = await alice.get('/t/nowhere');
    const nonMember = await alice.get('/t/bravo');
    expect(nonMember.status).toBe(404);
    const body = mainOf;
    expect(body(nonMember.text)).toBe(body(unknown.text));
    await t.platform.tenants.update(a.id, { status: 'suspended', status_reason: 'Unpaid' });
    const member = await alice.get('/t/alpha');
    expect(member.status).toBe(403);
    expect(member.text).toContain('is suspended');
  });

  it('lets a super admin who is a member open a suspended tenant', async () => {
    const root = await makeUser(t.platform, { superAdmin: true });
    await addMember(t.platform, root, a, 'owner');
    await t.platform.tenants.update(a.id, { status: 'suspended' });
    const rootAgent = await signIn(app, root.email);
    expect((await rootAgent.get('/t/alpha')).status).toBe(200);
  });

  it('hands out no tenant handle before membership is proven', async () => {
    const before = t.platform.router.stats().opens;
    t.platform.router.closeAll();
    await alice.get('/t/bravo/items/1');
    expect(t.platform.router.isOpen(b.id)).toBe(false);
    expect(t.platform.router.stats().opens).toBe(before);
  });

  it('sends anonymous visitors to sign in without revealing whether the tenant exists', async () => {
    const known = await request(app).get('/t/bravo');
    const unknown = await request(app).get('/t/nowhere');
    expect(known.status).toBe(302);
    expect(unknown.status).toBe(302);
    expect(known.headers.location).toBe('/login?next=%2Ft%2Fbravo');
  });

  it('records refused access in the audit trail', async () => {
    await alice.get('/t/bravo/items/1');
    const row = t.platform.db.connection().prepare("select tenant_id, target_id from audit_events where action = 'access.refused'").get();
    expect(row).toEqual({ tenant_id: b.id, target_id: '/t/bravo/items/1' });
  });

  it('records a member refused by their role in the audit trail', async () => {
    const viewer = await makeUser(t.platform);
    await addMember(t.platform, viewer, a, 'viewer');
    const agent = await signIn(app, viewer.email);
    expect((await postForm(agent, '/t/alpha/items', { title: 'nope', body: '' })).status).toBe(403);
    const row = t.platform.db
      .connection()
      .prepare("select tenant_id, actor_user_id, target_type, target_id from audit_events where action = 'access.refused' and target_type = 'permission'")
      .get();
    expect(row).toEqual({ tenant_id: a.id, actor_user_id: viewer.id, target_type: 'permission', target_id: 'content.create' });
  });
});
