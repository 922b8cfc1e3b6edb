import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeUser } from '../../support/factories';
import { csrfFrom, signIn, type Agent } from '../../support/http-agent';
import { bearer, personalToken } from '../../support/api-tokens';

describe('a tenant creation sent twice moments apart by one super admin', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let admin: Agent;
  let first: string;
  let second: string;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const root = await makeUser(t.platform, { superAdmin: true });
    first = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
    second = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
    admin = await signIn(app, root.email);
  });
  afterEach(() => t.cleanup());

  const body = { name: 'Initech', slug: 'initech', owner_email: 'boss@initech.test' };
  const api = (token: string) => request(app).post('/api/v1/admin/tenants').set(bearer(token)).send(body);
  const fromConsole = async () => {
    const _csrf = await csrfFrom(admin, '/admin/tenants/new');
    return admin
      .post('/admin/tenants')
      .type('form')
      .send({ ...body, _csrf });
  };
  const tenants = () => t.platform.db.all<{ id: string }>("select id from tenants where slug = 'initech'");

  it('through the API with the same token is answered with the first one’s tenant, making one', async () => {
    const one = await api(first);
    const two = await api(first);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.body.data.id).toBe(one.body.data.id);
    expect(two.body).toMatchObject({ invitation_url: null, invitation_resend_required: true });
    expect(tenants()).toHaveLength(1);
  });

  it('through the API with two tokens of that admin (two scripts) is two requests: the second is refused as the slug is taken', async () => {
    expect((await api(first)).status).toBe(201);
    const other = await api(second);
    expect(other.status).toBe(400);
    expect(other.body.errors).toEqual([{ field: 'slug', message: 'is already taken' }]);
    expect(tenants()).toHaveLength(1);
  });

  it('from the console, then through the API, is two requests: the API’s is refused', async () => {
    expect((await fromConsole()).status).toBe(303);
    expect((await api(first)).status).toBe(400);
    expect(tenants()).toHaveLength(1);
  });

  it('from the console twice is answered with the first one’s tenant', async () => {
    const one = await fromConsole();
    const two = await fromConsole();
    expect([one.status, two.status]).toEqual([303, 303]);
    expect(two.headers.location).toBe('/admin/tenants/initech/created');
    expect(tenants()).toHaveLength(1);
  });

  it('records the token a creation came with', async () => {
    await api(first);
    const [record] = t.platform.db.all<{ api_token_id: string | null }>("select api_token_id from audit_events where action = 'tenant.create'");
    expect(record.api_token_id).toEqual(expect.any(String));
  });
});
