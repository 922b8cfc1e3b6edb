import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { auditOf } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { signIn } from '../../support/http-agent';
import { hashApiToken } from '../../../control-plane/api-tokens/token-secret';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe("the super-admin API's refusal of a token without the scope", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let root: UserRecord;
  const tokenIdOf = (token: string) => t.platform.apiTokens.findByHash(hashApiToken(token))?.id;

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '5' });
    app = createApp(t.platform).app;
    root = await makeUser(t.platform, { superAdmin: true });
    await makeTenant(t.platform, 'acme');
  });
  afterAll(() => t.cleanup());
  beforeEach(() => t.platform.db.run("delete from audit_events where action = 'access.refused'"));

  it('records it as the workspace API records a permission refused: the scope, the path, the token, the address and the browser', async () => {
    const unscoped = personalToken(t.platform, root, { scopes: ['content.view'] });
    const res = await request(app).get('/api/v1/admin/tenants?q=acme').set(bearer(unscoped)).set('User-Agent', 'admin-scripts/1.0');
    expect(res.status).toBe(403);
    expect(auditOf(t.platform, 'access.refused')).toEqual([
      expect.objectContaining({
        tenant_id: null,
        actor_user_id: root.id,
        api_token_id: tokenIdOf(unscoped),
        target_type: 'permission',
        target_id: 'admin.tenants',
        user_agent: 'admin-scripts/1.0',
        ip: expect.any(String),
      }),
    ]);
    expect(JSON.parse(auditOf(t.platform, 'access.refused')[0].after ?? '{}')).toEqual({ method: 'GET', path: '/api/v1/admin/tenants?q=acme' });
  });

  it('records a change refused for the scope it lacks, and the change is not made', async () => {
    const tenantsOnly = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
    const victim = await makeUser(t.platform);
    const res = await request(app).post(`/api/v1/admin/users/${victim.id}/disable`).set(bearer(tenantsOnly));
    expect(res.status).toBe(403);
    expect(t.platform.users.findById(victim.id)?.status).toBe('active');
    expect(auditOf(t.platform, 'access.refused').map((r) => [r.target_id, r.api_token_id])).toEqual([['admin.users', tokenIdOf(tenantsOnly)]]);
  });

  it('records a token limited to one workspace, which the super-admin API never takes', async () => {
    const acme = t.platform.tenants.findBySlug('acme')!;
    await addMember(t.platform, root, acme, 'owner');
    const limited = personalToken(t.platform, root, { tenant: acme, scopes: ['content.view'] });
    expect((await request(app).get('/api/v1/admin/tenants').set(bearer(limited))).status).toBe(403);
    expect(auditOf(t.platform, 'access.refused').map((r) => r.api_token_id)).toEqual([tokenIdOf(limited)]);
  });

  it('records nothing for a request the token may make', async () => {
    const scoped = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
    expect((await request(app).get('/api/v1/admin/tenants').set(bearer(scoped))).status).toBe(200);
    expect(auditOf(t.platform, 'access.refused')).toEqual([]);
  });

  it('counts the refusals the per-token limit lets through into one record: a refusal storm is answered 429 unrecorded', async () => {
    const unscoped = personalToken(t.platform, root, { scopes: ['content.view'] });
    const statuses: number[] = [];
    for (let n = 0; n < 9; n++) statuses.push((await request(app).get('/api/v1/admin/tenants').set(bearer(unscoped))).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429, 429, 429]);
    expect(auditOf(t.platform, 'access.refused').map((r) => JSON.parse(r.after ?? '{}').count)).toEqual([5]);
  });
});

describe("the super-admin API's 404 to anyone else, and to an unknown id", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let root: UserRecord;
  let member: UserRecord;
  const tokenIdOf = (token: string) => t.platform.apiTokens.findByHash(hashApiToken(token))?.id;

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '5' });
    app = createApp(t.platform).app;
    root = await makeUser(t.platform, { superAdmin: true });
    member = await makeUser(t.platform);
    await addMember(t.platform, member, await makeTenant(t.platform, 'acme'), 'owner');
  });
  afterAll(() => t.cleanup());
  beforeEach(() => t.platform.db.run("delete from audit_events where action = 'access.refused'"));

  it("records a member's token probing a tenant by id as the workspace API records its door's 404: the path, no tenant, the token", async () => {
    const acme = t.platform.tenants.findBySlug('acme')!;
    const token = personalToken(t.platform, member, { scopes: ['content.view'] });
    const res = await request(app).get(`/api/v1/admin/tenants/${acme.id}`).set(bearer(token)).set('User-Agent', 'probe/1.0');
    expect(res.status).toBe(404);
    expect(auditOf(t.platform, 'access.refused')).toEqual([
      expect.objectContaining({
        tenant_id: null,
        actor_user_id: member.id,
        api_token_id: tokenIdOf(token),
        target_type: 'path',
        target_id: `/api/v1/admin/tenants/${acme.id}`,
        user_agent: 'probe/1.0',
      }),
    ]);
  });

  it("records a member's signed-in session asking the same", async () => {
    const acme = t.platform.tenants.findBySlug('acme')!;
    const agent = await signIn(app, member.email);
    expect((await agent.get(`/api/v1/admin/tenants/${acme.id}`)).status).toBe(404);
    expect(auditOf(t.platform, 'access.refused').map((r) => [r.actor_user_id, r.target_type])).toEqual([[member.id, 'path']]);
  });

  it('records nothing for a super admin naming a tenant that does not exist: nothing is hidden from them', async () => {
    const scoped = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
    expect((await request(app).get('/api/v1/admin/tenants/t000000000000000000000000').set(bearer(scoped))).status).toBe(404);
    expect(auditOf(t.platform, 'access.refused')).toEqual([]);
  });

  it('counts the refusals the per-token limit lets through into one record, naming the first and the latest id', async () => {
    const token = personalToken(t.platform, member, { scopes: ['content.view'] });
    const statuses: number[] = [];
    for (let n = 0; n < 8; n++) statuses.push((await request(app).get(`/api/v1/admin/tenants/t00000000000000000000000${n}`).set(bearer(token))).status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
    expect(auditOf(t.platform, 'access.refused').map((r) => JSON.parse(r.after ?? '{}'))).toEqual([
      expect.objectContaining({
        count: 5,
        path: '/api/v1/admin/tenants/t000000000000000000000000',
        last_path: '/api/v1/admin/tenants/t000000000000000000000004',
      }),
    ]);
  });
});
