import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { signIn, type Agent, postForm } from '../../support/http-agent';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** The API hands its CSRF token out in a header of GET /api/v1/context. */
async function apiToken(agent: Agent): Promise<string> {
  const res = await agent.get('/api/v1/context');
  const token = res.headers['x-csrf-token'];
  if (typeof token !== 'string') throw new Error('no x-csrf-token header');
  return token;
}

async function switchTo(agent: Agent, body: unknown) {
  // The token first: an agent's request takes the cookies it holds when it is created.
  const token = await apiToken(agent);
  return agent
    .post('/api/v1/context/switch')
    .set('x-csrf-token', token)
    .send(body as object);
}

describe('the context API', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let charlie: TenantRecord;
  let alice: UserRecord;
  let agent: Agent;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha', 'Alpha Studio');
    bravo = await makeTenant(t.platform, 'bravo', 'Bravo Works');
    charlie = await makeTenant(t.platform, 'charlie', 'Charlie Co');
    alice = await makeUser(t.platform, { email: 'alice@example.com', name: 'Alice' });
    await addMember(t.platform, alice, alpha, 'owner');
    await addMember(t.platform, alice, charlie, 'viewer');
    const bob = await makeUser(t.platform, { email: 'bob@example.com' });
    await addMember(t.platform, bob, bravo, 'owner');
  });
  afterAll(() => t.cleanup());
  beforeEach(async () => {
    await t.platform.tenants.update(charlie.id, { status: 'active' });
    agent = await signIn(app, alice.email);
  });

  it('answers 401 JSON to a visitor who is not signed in', async () => {
    for (const path of ['/api/v1/context', '/api/v1/tenants']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(401);
      expect(res.type).toBe('application/json');
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  it('reports the user and no tenant before one is chosen', async () => {
    const fresh = await signIn(app, alice.email);
    await t.platform.users.update(alice.id, { last_tenant_id: null });
    const res = await fresh.get('/api/v1/context');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      user: { id: alice.id, email: 'alice@example.com', name: 'Alice', isSuperAdmin: false },
      tenant: null,
      role: null,
      permissions: [],
    });
  });

  it('reports the workspace a new sign-in landed in, the one used last, as current before any switch', async () => {
    await postForm(agent, '/tenants/switch', { tenant: 'charlie' });
    const fresh = request.agent(app);
    const landed = await postForm(fresh, '/login', { email: alice.email, password: TEST_PASSWORD }, '/login');
    expect(landed.headers.location).toBe('/t/charlie');
    const res = await fresh.get('/api/v1/context');
    expect(res.body.tenant).toEqual({ id: charlie.id, slug: 'charlie', name: 'Charlie Co' });
    expect(res.body.role).toEqual({ key: 'viewer', name: 'Viewer' });
    expect(res.body.permissions).toContain('content.view');
    const list = await fresh.get('/api/v1/tenants');
    expect(list.body.tenants.filter((x: { current: boolean }) => x.current).map((x: { slug: string }) => x.slug)).toEqual(['charlie']);
  });

  it("reports a member's only workspace as current from sign-in", async () => {
    const bob = await signIn(app, 'bob@example.com');
    expect((await bob.get('/api/v1/context')).body.tenant).toEqual({ id: bravo.id, slug: 'bravo', name: 'Bravo Works' });
  });

  it('reports the tenant the user switched to, with its role and effective permissions', async () => {
    expect((await postForm(agent, '/tenants/switch', { tenant: 'charlie' })).status).toBe(303);
    const res = await agent.get('/api/v1/context');
    expect(res.body.tenant).toEqual({ id: charlie.id, slug: 'charlie', name: 'Charlie Co' });
    expect(res.body.role).toEqual({ key: 'viewer', name: 'Viewer' });
    expect(res.body.permissions).toContain('content.view');
    expect(res.body.permissions).not.toContain('content.create');
    expect(res.body.permissions).not.toContain('audit.view');
  });

  it('does not change the current tenant when a page of another one is merely opened (no state change on GET)', async () => {
    await postForm(agent, '/tenants/switch', { tenant: 'alpha' });
    expect((await agent.get('/t/charlie/items')).status).toBe(200);
    expect((await agent.get('/api/v1/context')).body.tenant.slug).toBe('alpha');
    expect(t.platform.users.findById(alice.id)?.last_tenant_id).toBe(alpha.id);
  });

  it('answers 404 to a switch form naming a workspace the user is not in, and changes nothing', async () => {
    await postForm(agent, '/tenants/switch', { tenant: 'alpha' });
    expect((await postForm(agent, '/tenants/switch', { tenant: 'bravo' })).status).toBe(404);
    expect((await agent.get('/api/v1/context')).body.tenant.slug).toBe('alpha');
  });

  it("lists the user's tenants with their role, marking the current one and the default", async () => {
    await t.platform.users.update(alice.id, { default_tenant_id: charlie.id });
    await postForm(agent, '/tenants/switch', { tenant: 'alpha' });
    const res = await agent.get('/api/v1/tenants');
    expect(res.status).toBe(200);
    expect(res.body.tenants).toEqual([
      { id: alpha.id, slug: 'alpha', name: 'Alpha Studio', role: { key: 'owner', name: 'Owner' }, current: true, default: false },
      { id: charlie.id, slug: 'charlie', name: 'Charlie Co', role: { key: 'viewer', name: 'Viewer' }, current: false, default: true },
    ]);
    await t.platform.users.update(alice.id, { default_tenant_id: null });
  });

  it('switches the current tenant, stores it as last used and returns the new context', async () => {
    await postForm(agent, '/tenants/switch', { tenant: 'alpha' });
    const res = await switchTo(agent, { tenant: 'charlie' });
    expect(res.status).toBe(200);
    expect(res.body.tenant.slug).toBe('charlie');
    expect(res.body.role.key).toBe('viewer');
    expect(t.platform.users.findById(alice.id)?.last_tenant_id).toBe(charlie.id);
    expect((await agent.get('/api/v1/context')).body.tenant.slug).toBe('charlie');
  });

  it('refuses a switch without the CSRF header and changes nothing', async () => {
    await postForm(agent, '/tenants/switch', { tenant: 'alpha' });
    const res = await agent.post('/api/v1/context/switch').send({ tenant: 'charlie' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_invalid');
    expect((await agent.get('/api/v1/context')).body.tenant.slug).toBe('alpha');
  });

  it.each([
    ['a tenant the user is not a member of', 'bravo'],
    ['an unknown tenant', 'nowhere'],
  ])('answers 404 JSON to a switch to %s and changes nothing', async (_label, slug) => {
    await postForm(agent, '/tenants/switch', { tenant: 'alpha' });
    const res = await switchTo(agent, { tenant: slug });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await agent.get('/api/v1/context')).body.tenant.slug).toBe('alpha');
    expect(t.platform.users.findById(alice.id)?.last_tenant_id).toBe(alpha.id);
  });

  it('answers the same 404 to a switch to a suspended tenant, and stops reporting it as current', async () => {
    await switchTo(agent, { tenant: 'charlie' });
    await t.platform.tenants.update(charlie.id, { status: 'suspended' });
    expect((await agent.get('/api/v1/context')).body).toMatchObject({ tenant: null, role: null, permissions: [] });
    const res = await switchTo(agent, { tenant: 'charlie' });
    expect(res.status).toBe(404);
    expect((await agent.get('/api/v1/tenants')).body.tenants.map((x: { slug: string }) => x.slug)).toEqual(['alpha']);
  });

  it("answers a member's switch to a workspace in maintenance with 503 and Retry-After, an outsider's with the 404, and changes nothing", async () => {
    await postForm(agent, '/tenants/switch', { tenant: 'alpha' });
    await t.platform.tenants.update(charlie.id, { status: 'maintenance' });

    const member = await switchTo(agent, { tenant: 'charlie' });
    expect(member.status).toBe(503);
    expect(member.headers['retry-after']).toBe('5');
    expect((await agent.get('/api/v1/context')).body.tenant.slug).toBe('alpha');
    expect(t.platform.users.findById(alice.id)?.last_tenant_id).toBe(alpha.id);

    const outsider = await switchTo(await signIn(app, 'bob@example.com'), { tenant: 'charlie' });
    expect(outsider.status).toBe(404);
    expect(outsider.headers['retry-after']).toBeUndefined();
  });

  it('records a refused switch in the audit trail', async () => {
    // An earlier refusal of alice's at bravo would have this one counted into it (one record per window).
    t.platform.db.run("delete from audit_events where action = 'access.refused'");
    await switchTo(agent, { tenant: 'bravo' });
    const row = t.platform.db.get(
      "select tenant_id, actor_user_id, target_type, target_id, after from audit_events where action = 'access.refused' order by id desc",
    );
    expect(row).toEqual({
      tenant_id: bravo.id,
      actor_user_id: alice.id,
      target_type: 'path',
      target_id: '/api/v1/context/switch',
      after: JSON.stringify({ method: 'POST', path: '/api/v1/context/switch', slug: 'bravo' }),
    });
  });

  it.each([
    ['a missing tenant', {}],
    ['a slug with a slash', { tenant: 'alpha/../bravo' }],
    ['an upper-case slug', { tenant: 'ALPHA' }],
    ['a number', { tenant: 42 }],
  ])('answers 400 JSON naming the field for %s', async (_label, body) => {
    await postForm(agent, '/tenants/switch', { tenant: 'alpha' });
    const res = await switchTo(agent, body);
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['tenant']);
    expect((await agent.get('/api/v1/context')).body.tenant.slug).toBe('alpha');
  });

  it.each([
    [
      'a field it does not take beside the tenant',
      { tenant: 'charlie', remember: true },
      [{ field: 'remember', message: 'is not a field of this request (it takes tenant)' }],
    ],
    ['a misspelt tenant field', { tenat: 'charlie' }, [{ field: 'tenat', message: 'is not a field of this request (it takes tenant)' }]],
    ['a tenant that is not text', { tenant: ['charlie'] }, [{ field: 'tenant', message: 'must be text' }]],
    ['a body that is a list', ['charlie'], [{ field: 'body', message: 'must be an object of named fields' }]],
  ])('refuses %s with a 400 in its error shape naming each field, and does not switch', async (_label, body, fields) => {
    await postForm(agent, '/tenants/switch', { tenant: 'alpha' });
    const res = await switchTo(agent, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'validation_failed', message: expect.any(String), fields } });
    expect((await agent.get('/api/v1/context')).body.tenant.slug).toBe('alpha');
  });

  it('documents the switch body as taking the tenant only', async () => {
    const doc = (await agent.get('/api/v1/openapi.json')).body;
    const body = doc.paths['/api/v1/context/switch'].post.requestBody.content['application/json'].schema;
    expect(body).toMatchObject({ required: ['tenant'], additionalProperties: false });
  });

  it('answers unknown API paths with JSON', async () => {
    const res = await agent.get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
