import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn } from '../../support/http-agent';
import { bearer, personalToken } from '../../support/api-tokens';
import { startBreakGlass } from '../../../control-plane/break-glass/start-break-glass';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** Tokens never borrow a super admin's temporary powers, and nobody makes tokens as someone they impersonate. */
describe('API tokens and elevated access', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let root: UserRecord;
  let client: UserRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    root = await makeUser(t.platform, { superAdmin: true });
    client = await makeUser(t.platform);
    await addMember(t.platform, client, acme, 'owner');
  });
  afterAll(() => t.cleanup());

  it("does not let a super admin's token ride on their break-glass access: the session reads, the token gets 404", async () => {
    const token = personalToken(t.platform, root, { scopes: ['content.view'] });
    startBreakGlass(t.platform, { userId: root.id, ip: null, userAgent: null }, { tenant: 'acme', reason: 'Ticket 12: export is empty' });
    const agent = await signIn(app, root.email);
    expect((await agent.get('/api/v1/t/acme/items')).status).toBe(200);
    expect((await request(app).get('/api/v1/t/acme/items').set(bearer(token))).status).toBe(404);
  });

  it('refuses to make a token while impersonating, and withholds the workspace tokens page', async () => {
    const agent = await signIn(app, root.email);
    const started = await postForm(
      agent,
      `/admin/users/${client.id}/impersonate`,
      { reason: 'Ticket 13: cannot find the approve button' },
      `/admin/users/${client.id}`,
    );
    expect(started.status).toBe(303);
    const made = await postForm(agent, '/account/tokens', { name: 'Sneaky', scopes: 'content.view' }, '/account/tokens');
    expect(made.status).toBe(403);
    expect((await agent.get('/t/acme/tokens')).status).toBe(403);
    expect(t.platform.db.connection().prepare("select count(*) as n from api_tokens where name = 'Sneaky'").get()).toEqual({ n: 0 });
  });
});
