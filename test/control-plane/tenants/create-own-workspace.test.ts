import request from 'supertest';
import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import type { UserRecord } from '../../../control-plane/users/user-record';
import slugs from '../../fixtures/tenant-slugs.json';
import { seedTenant } from '../../../control-plane/provisioning/seed-tenant';
import { changeUserStatus } from '../../../control-plane/users/change-user-status';
import { deleteUser } from '../../../control-plane/users/delete-user';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';

/** What a refused request must leave as it was: the tenants table and the tenant folders. */
function snapshot(t: TestPlatform) {
  const rows = t.platform.db.all<{ id: string; slug: string; status: string }>('select id, slug, status from tenants order by id');
  const tenantsDir = path.join(t.platform.config.dataDir, 'tenants');
  const files = fs.existsSync(tenantsDir) ? fs.readdirSync(tenantsDir).sort() : [];
  return { rows, files };
}

async function submit(agent: Agent, body: Record<string, string>) {
  const _csrf = await csrfFrom(agent, '/tenants/new');
  return agent
    .post('/tenants/new')
    .type('form')
    .send({ ...body, _csrf });
}

describe('self-service workspaces', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let carol: UserRecord;

  afterEach(() => t.cleanup());

  describe('when the platform setting is off (the default)', () => {
    beforeEach(async () => {
      t = await createTestPlatform();
      app = createApp(t.platform).app;
      carol = await makeUser(t.platform, { email: 'carol@example.com' });
    });

    it('has no page, no form and no link in the switcher', async () => {
      const agent = await signIn(app, carol.email);
      expect((await agent.get('/tenants/new')).status).toBe(404);
      const tenants = await agent.get('/tenants');
      expect(tenants.text).not.toContain('/tenants/new');
      const _csrf = /name="_csrf" value="([^"]+)"/.exec(tenants.text)?.[1] ?? '';
      const before = snapshot(t);
      const res = await agent.post('/tenants/new').type('form').send({ name: 'Mine', slug: 'mine', _csrf });
      expect(res.status).toBe(404);
      expect(snapshot(t)).toEqual(before);
    });
  });

  describe('when it is on', () => {
    beforeEach(async () => {
      t = await createTestPlatform({ SELF_SERVICE_WORKSPACES: '1', SELF_SERVICE_WORKSPACE_LIMIT: '2' });
      app = createApp(t.platform).app;
      carol = await makeUser(t.platform, { email: 'carol@example.com' });
    });

    it('lets a signed-in user create a workspace from the switcher and makes them its owner', async () => {
      const agent = await signIn(app, carol.email);
      expect((await agent.get('/tenants')).text).toContain('href="/tenants/new"');
      const res = await submit(agent, { name: 'Carol Studio', slug: 'carol-studio' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/t/carol-studio');

      const tenant = t.platform.tenants.findBySlug('carol-studio');
      expect(tenant).toMatchObject({ status: 'active', name: 'Carol Studio', created_by: carol.id, self_service: 1 });
      expect(t.platform.memberships.findActive(carol.id, tenant!.id)?.role_key).toBe('owner');
      const defaultPlan = t.platform.db.get<{ id: number }>('select id from plans where is_default = 1');
      expect(tenant?.plan_id).toBe(defaultPlan?.id);
      const page = await agent.get('/t/carol-studio');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Carol Studio');
      const audit = t.platform.db.get<{ actor_user_id: string; after: string }>("select actor_user_id, after from audit_events where action = 'tenant.create'");
      expect(audit?.actor_user_id).toBe(carol.id);
      expect(JSON.parse(audit?.after ?? '{}')).toMatchObject({ slug: 'carol-studio', note: 'self-service' });
    });

    it('makes the new workspace the current one, as switching to it would: the context API names it and the next sign-in lands there', async () => {
      const before = await makeTenant(t.platform, 'before', 'Before');
      await addMember(t.platform, carol, before, 'editor');
      const agent = await signIn(app, carol.email);
      expect((await postForm(agent, '/tenants/switch', { tenant: 'before' })).status).toBe(303);
      expect((await agent.get('/api/v1/context')).body.tenant).toMatchObject({ slug: 'before' });

      expect((await submit(agent, { name: 'Carol Studio', slug: 'carol-studio' })).status).toBe(303);
      const created = t.platform.tenants.findBySlug('carol-studio');
      const context = await agent.get('/api/v1/context');
      expect(context.body).toMatchObject({ tenant: { slug: 'carol-studio' }, role: { key: 'owner' } });
      const listed = (await agent.get('/api/v1/tenants')).body.tenants as Array<{ slug: string; current: boolean }>;
      expect(listed.filter((x) => x.current).map((x) => x.slug)).toEqual(['carol-studio']);
      expect(t.platform.users.findById(carol.id)?.last_tenant_id).toBe(created?.id);
      const again = await signIn(app, carol.email);
      expect((await again.get('/api/v1/context')).body.tenant).toMatchObject({ slug: 'carol-studio' });
    });

    it('shows super admins who created the workspace, on the tenant list and the tenant page', async () => {
      const agent = await signIn(app, carol.email);
      await submit(agent, { name: 'Carol Studio', slug: 'carol-studio' });
      const admin = await makeUser(t.platform, { email: 'root@example.com', superAdmin: true });
      const console = await signIn(app, admin.email);
      expect((await console.get('/admin/tenants')).text).toContain('by carol@example.com (self-service)');
      expect((await console.get('/admin/tenants/carol-studio')).text).toMatch(/by carol@example\.com \(self-service/);
    });

    it('refuses a bad name or address with the field and the reason, writing nothing', async () => {
      const agent = await signIn(app, carol.email);
      const before = snapshot(t);
      for (const slug of slugs.bad.slice(0, 40)) {
        const res = await submit(agent, { name: 'Bad', slug });
        expect(res.status).toBe(400);
        expect(res.text).toContain('id="slug-error"');
      }
      const noName = await submit(agent, { name: '', slug: 'fine-slug' });
      expect(noName.status).toBe(400);
      expect(noName.text).toContain('id="name-error"');
      expect(snapshot(t)).toEqual(before);
    });

    it('refuses an address already taken by another workspace without touching it', async () => {
      const other = await makeTenant(t.platform, 'taken', 'Someone Else');
      const agent = await signIn(app, carol.email);
      const res = await submit(agent, { name: 'Mine', slug: 'taken' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('is already taken');
      expect(t.platform.memberships.findActive(carol.id, other.id)).toBeUndefined();
    });

    it('stops at the per-user limit of workspaces owned, counting ones given by an administrator', async () => {
      const given = await makeTenant(t.platform, 'given', 'Given');
      await addMember(t.platform, carol, given, 'owner');
      const agent = await signIn(app, carol.email);
      expect((await submit(agent, { name: 'Second', slug: 'second' })).status).toBe(303);

      const page = await agent.get('/tenants/new');
      expect(page.text).toContain('You own 2 workspaces, the most one person may create here (2)');
      expect(page.text).not.toContain('name="slug"');
      const before = snapshot(t);
      const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const res = await agent.post('/tenants/new').type('form').send({ name: 'Third', slug: 'third', _csrf });
      expect(res.status).toBe(403);
      expect(res.text).toContain('Ask a platform administrator');
      expect(snapshot(t)).toEqual(before);
    });

    it('does not count workspaces where the user is only a member', async () => {
      const team = await makeTenant(t.platform, 'team', 'Team');
      await addMember(t.platform, carol, team, 'editor');
      const agent = await signIn(app, carol.email);
      expect((await agent.get('/tenants/new')).text).toContain('you own 0');
    });

    it('lets only one of two identical requests at the last free place through', async () => {
      const given = await makeTenant(t.platform, 'given', 'Given');
      await addMember(t.platform, carol, given, 'owner');
      const agent = await signIn(app, carol.email);
      const _csrf = await csrfFrom(agent, '/tenants/new');
      const send = (slug: string) => agent.post('/tenants/new').type('form').send({ name: 'Race', slug, _csrf });
      const answers = await Promise.all([send('race-one'), send('race-two')]);
      expect(answers.map((r) => r.status).sort()).toEqual([303, 403]);
      expect(t.platform.tenants.countOwnedBy(carol.id)).toBe(2);
      expect(t.platform.db.get<{ n: number }>("select count(*) as n from tenants where slug like 'race-%'")?.n).toBe(1);
    });

    it('lets only one of two requests for the same address create it', async () => {
      const agent = await signIn(app, carol.email);
      const _csrf = await csrfFrom(agent, '/tenants/new');
      const send = () => agent.post('/tenants/new').type('form').send({ name: 'Same', slug: 'same-one', _csrf });
      const answers = await Promise.all([send(), send()]);
      expect(answers.map((r) => r.status).sort()).toEqual([303, 400]);
      expect(t.platform.db.get<{ n: number }>("select count(*) as n from tenants where slug = 'same-one'")?.n).toBe(1);
    });

    describe('when the account is disabled or deleted while the workspace is being built', () => {
      const sessions = { destroyAllForUser: () => 0 };
      const meanwhile = {
        disabled: () => changeUserStatus(t.platform, sessions, carol.id, 'disabled', CLI_OPERATOR),
        deleted: () => deleteUser(t.platform, sessions, carol.id, { confirm: carol.email }, CLI_OPERATOR),
      };
      afterEach(() => jest.restoreAllMocks());

      for (const [what, act] of Object.entries(meanwhile)) {
        it(`gives no workspace to an account ${what} meanwhile, and frees its address`, async () => {
          const agent = await signIn(app, carol.email);
          const _csrf = await csrfFrom(agent, '/tenants/new');
          const seed = seedTenant.run.bind(seedTenant);
          jest.spyOn(seedTenant, 'run').mockImplementation((ctx) => {
            act();
            return seed(ctx);
          });
          const folders = () => snapshot(t).files.filter((name) => !name.startsWith('.'));
          const before = folders();

          const res = await agent.post('/tenants/new').type('form').send({ name: 'Mine', slug: 'mine', _csrf });

          expect(res.status).toBe(401);
          expect(t.platform.tenants.findBySlug('mine')).toBeUndefined();
          expect(t.platform.db.get<{ status: string }>("select status from tenants where slug = 'mine'")?.status).toBe('purged');
          expect(t.platform.db.all('select * from memberships')).toEqual([]);
          expect(t.platform.db.all("select * from audit_events where action = 'tenant.create'")).toEqual([]);
          expect(folders()).toEqual(before);
        });
      }
    });

    it('asks a visitor to sign in first', async () => {
      const res = await request(app).get('/tenants/new');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/login?next=%2Ftenants%2Fnew');
    });
  });
});
