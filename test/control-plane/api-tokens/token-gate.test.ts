import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { bearer, personalToken, serviceToken } from '../../support/api-tokens';
import { signIn } from '../../support/http-agent';
import { resumeTenant, suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/** A workspace in maintenance (a restore or an import under way) seen through the REST API. */
describe('API tokens on a workspace in maintenance', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    const globex = await makeTenant(t.platform, 'globex');
    const member = await makeUser(t.platform, { email: 'member@acme.test' });
    const outsider = await makeUser(t.platform, { email: 'outsider@globex.test' });
    const root = await makeUser(t.platform, { superAdmin: true });
    await addMember(t.platform, member, acme, 'owner');
    await addMember(t.platform, member, globex, 'owner');
    await addMember(t.platform, outsider, globex, 'owner');
    tokens = {
      member: personalToken(t.platform, member),
      memberHere: personalToken(t.platform, member, { tenant: acme }),
      memberElsewhere: personalToken(t.platform, member, { tenant: globex }),
      service: serviceToken(t.platform, member, acme, ['content.view']),
      otherService: serviceToken(t.platform, member, globex, ['content.view']),
      outsider: personalToken(t.platform, outsider),
      superAdmin: personalToken(t.platform, root),
    };
  });
  afterAll(() => t.cleanup());
  afterEach(() => t.platform.tenants.update(acme.id, { status: 'active' }));

  const inMaintenance = () => t.platform.tenants.update(acme.id, { status: 'maintenance' });

  it.each([
    ["a member's personal token", 'member'],
    ["a member's token limited to the workspace", 'memberHere'],
    ["the workspace's service token", 'service'],
  ])('answers %s with 503 and Retry-After, as the pages answer the member', async (_label, name) => {
    await inMaintenance();
    const res = await request(app).get('/api/v1/t/acme/items').set(bearer(tokens[name]));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.type).toBe('application/problem+json');
    expect(res.body.status).toBe(503);
  });

  it.each([
    ["an outsider's token", 'outsider'],
    ["a member's token limited to another workspace", 'memberElsewhere'],
    ["another workspace's service token", 'otherService'],
    ["a super admin's token (not a member)", 'superAdmin'],
  ])('answers %s with the same 404 as ever, without Retry-After', async (_label, name) => {
    await inMaintenance();
    const res = await request(app).get('/api/v1/t/acme/items').set(bearer(tokens[name]));
    expect(res.status).toBe(404);
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it("answers a member's signed-in session on the REST API with the same 503", async () => {
    await inMaintenance();
    const agent = await signIn(app, 'member@acme.test');
    const res = await agent.get('/api/v1/t/acme/items');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
  });

  describe('while the workspace is suspended', () => {
    beforeEach(() => {
      suspendTenant(t.platform, acme.id, { reason: 'Invoice 2024-117 is unpaid' }, CLI_OPERATOR);
    });
    afterEach(() => {
      resumeTenant(t.platform, acme.id, CLI_OPERATOR);
    });

    it.each([
      ["a member's personal token", 'member'],
      ["a member's token limited to the workspace", 'memberHere'],
      ["the workspace's service token", 'service'],
    ])('answers %s with 403 and the notice as problem+json, never a 503', async (_label, name) => {
      const res = await request(app).get('/api/v1/t/acme/items').set(bearer(tokens[name]));
      expect(res.status).toBe(403);
      expect(res.type).toBe('application/problem+json');
      expect(res.headers['retry-after']).toBeUndefined();
      expect(res.body).toMatchObject({ status: 403, code: 'tenant_suspended', notice: { state: 'suspended', reason: 'Invoice 2024-117 is unpaid' } });
    });

    it.each([
      ["an outsider's token", 'outsider'],
      ["a member's token limited to another workspace", 'memberElsewhere'],
      ["another workspace's service token", 'otherService'],
    ])('answers %s with the 404 of an unknown workspace, saying nothing of the suspension', async (_label, name) => {
      const res = await request(app).get('/api/v1/t/acme/items').set(bearer(tokens[name]));
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toMatch(/suspended|Invoice/);
    });
  });

  it('serves the same tokens again once the workspace is back', async () => {
    await inMaintenance();
    expect((await request(app).get('/api/v1/t/acme/items').set(bearer(tokens.service))).status).toBe(503);
    await t.platform.tenants.update(acme.id, { status: 'active' });
    for (const name of ['member', 'memberHere', 'service']) expect((await request(app).get('/api/v1/t/acme/items').set(bearer(tokens[name]))).status).toBe(200);
  });
});
