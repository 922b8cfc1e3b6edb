import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { auditOf } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { postForm } from '../../support/http-agent';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe("the super-admin API's users", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let token: string;
  let member: UserRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const root = await makeUser(t.platform, { superAdmin: true });
    token = personalToken(t.platform, root, { scopes: ['admin.users'] });
    member = await makeUser(t.platform, { email: 'agency@example.test', name: 'Agency Person' });
    await addMember(t.platform, member, await makeTenant(t.platform, 'brand-one', 'Brand One'), 'owner');
    await addMember(t.platform, member, await makeTenant(t.platform, 'brand-two', 'Brand Two'), 'editor');
  });
  afterAll(() => t.cleanup());

  const get = (id: string, as = token) => request(app).get(`/api/v1/admin/users/${id}`).set(bearer(as));

  it('reads one user with every workspace they belong to and their role there', async () => {
    const res = await get(member.id);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: member.id, email: 'agency@example.test', name: 'Agency Person', super_admin: false, status: 'active' });
    expect(res.body.data.workspaces).toEqual([
      {
        tenant: expect.objectContaining({ slug: 'brand-one', name: 'Brand One', status: 'active' }),
        role: { key: 'owner', name: 'Owner' },
        since: expect.any(String),
      },
      {
        tenant: expect.objectContaining({ slug: 'brand-two', name: 'Brand Two', status: 'active' }),
        role: { key: 'editor', name: 'Editor' },
        since: expect.any(String),
      },
    ]);
  });

  it('answers 404 for an unknown or malformed id, and for anyone but a super admin', async () => {
    expect((await get('u000000000000000000000000')).status).toBe(404);
    expect((await get('nobody')).status).toBe(404);
    expect((await get(member.id, personalToken(t.platform, member))).status).toBe(404);
  });

  it('enables a disabled user, who signs in again, with its audit record', async () => {
    const disabled = await request(app).post(`/api/v1/admin/users/${member.id}/disable`).set(bearer(token)).send({ force: true });
    expect(disabled.body.data.status).toBe('disabled');
    const enabled = await request(app).post(`/api/v1/admin/users/${member.id}/enable`).set(bearer(token));
    expect(enabled.status).toBe(200);
    expect(enabled.body.data).toEqual({ id: member.id, email: member.email, status: 'active' });
    expect(t.platform.users.findById(member.id)?.status).toBe('active');
    expect(auditOf(t.platform, 'user.enable').filter((e) => e.target_id === member.id)).toHaveLength(1);
    const signIn = await postForm(request.agent(app), '/login', { email: member.email, password: TEST_PASSWORD }, '/login');
    expect(signIn.status).toBe(302);
    expect(signIn.headers.location).not.toContain('/login');
  });

  it('is documented, with the scope both operations need', async () => {
    const document = (await request(app).get('/api/v1/openapi.json')).body;
    expect(document.paths['/api/v1/admin/users/{id}'].get).toMatchObject({ 'x-permission': 'admin.users' });
    expect(document.paths['/api/v1/admin/users/{id}/enable'].post).toMatchObject({ 'x-permission': 'admin.users' });
  });
});
