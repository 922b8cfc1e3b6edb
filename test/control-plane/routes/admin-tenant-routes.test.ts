import request from 'supertest';
import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import { tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import { outboxMails } from '../../support/outbox';
import { outboxDir } from '../../../core/mail/mailer';
import { seedTenant } from '../../../control-plane/provisioning/seed-tenant';
import { auditOf } from '../../support/team';

describe('super-admin tenant pages', () => {
  let t: TestPlatform;
  let admin: Agent;
  let app: ReturnType<typeof createApp>['app'];
  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const su = await makeUser(t.platform, { superAdmin: true, email: 'root@example.com' });
    admin = await signIn(app, su.email);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  it('lists tenants with status, schema version, size on disk and member count', async () => {
    const tenant = await makeTenant(t.platform, 'acme', 'Acme Studio');
    await addMember(t.platform, await makeUser(t.platform), tenant, 'owner');
    await addMember(t.platform, await makeUser(t.platform), tenant, 'viewer');
    const res = await admin.get('/admin/tenants');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Acme Studio');
    expect(res.text).toContain('status-active');
    expect(res.text).toContain(t.platform.tenantSource.latest ?? 'x');
    expect(res.text).toMatch(/<td class="num">\d+(\.\d)? KiB<\/td>\s*<td class="num">2<\/td>/);
    expect(res.text).toContain('href="/admin/tenants/acme"');
  });

  it('creates a tenant and gives an existing user the owner membership', async () => {
    const bob = await makeUser(t.platform, { email: 'bob@example.com' });
    const posted = await postForm(admin, '/admin/tenants', { name: 'Acme', slug: 'acme', owner_email: 'bob@example.com' });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe('/admin/tenants/acme/created');
    const res = await admin.get('/admin/tenants/acme/created');
    expect(res.text).toContain('is now the tenant');
    const tenant = t.platform.tenants.findBySlug('acme');
    expect(tenant?.status).toBe('active');
    expect(t.platform.memberships.findActive(bob.id, tenant?.id ?? '')?.role_key).toBe('owner');
  });

  it("records the creation and its first owners with the operator's address and browser, as every other console step records them", async () => {
    await makeUser(t.platform, { email: 'bob@example.com' });
    admin.set('User-Agent', 'console-tests/1.0');
    expect((await postForm(admin, '/admin/tenants', { name: 'Acme', slug: 'acme', owner_email: 'bob@example.com' })).status).toBe(303);
    expect((await postForm(admin, '/admin/tenants', { name: 'Bravo', slug: 'bravo', owner_email: 'new@example.com' })).status).toBe(303);
    const records = ['tenant.create', 'membership.add', 'invitation.create'].flatMap((action) => auditOf(t.platform, action));
    expect(records.map((record) => record.action).sort()).toEqual(['invitation.create', 'membership.add', 'tenant.create', 'tenant.create']);
    for (const record of records) expect(record).toMatchObject({ user_agent: 'console-tests/1.0', ip: expect.any(String), api_token_id: null });
  });

  it('creates a tenant with an invitation link for a new email, shown once; accepting it makes the owner', async () => {
    const posted = await postForm(admin, '/admin/tenants', { name: 'Acme', slug: 'acme', owner_email: 'new@example.com' });
    expect(posted.status).toBe(303);
    const res = await admin.get(posted.headers.location);
    expect(res.text).toContain('<h1>Acme is ready</h1>');
    // When the link stops working, to the minute and with its zone, as the console shows every time.
    const expiresAt = t.platform.db.get<{ expires_at: number }>('select expires_at from invitations')!.expires_at;
    expect(res.text).toContain(`expires on ${new Date(expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
    // Shown once: a refresh of that page creates nothing and shows no link, it leads to the tenant's page.
    const again = await admin.get(posted.headers.location);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/admin/tenants/acme');
    const link = /value="(http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]+)"/.exec(res.text)?.[1];
    expect(link).toBeDefined();
    const path = new URL(link ?? '').pathname;
    const stored = t.platform.db.connection().prepare('select token_hash from invitations').get() as { token_hash: string };
    expect(stored.token_hash).not.toContain(path.split('/').pop());

    const newcomer = request.agent(app);
    const page = await newcomer.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('new@example.com');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const accepted = await newcomer.post(path).type('form').send({ name: 'New Owner', password: 'a long enough password', _csrf: csrf });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.location).toBe('/t/acme');
    const home = await newcomer.get('/t/acme');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Owner');
    // Single use: the same link now explains it was used, and changes nothing.
    const replay = await request(app).get(path);
    expect(replay.status).toBe(410);
    expect(replay.text).toContain('already been used');
  });

  it("mails a new owner's invitation once, from the workspace, with the link the page shows once", async () => {
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    const posted = await postForm(admin, '/admin/tenants', { name: 'Acme', slug: 'acme', owner_email: 'new@example.com' });
    const res = await admin.get(posted.headers.location);
    const link = /value="(http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]+)"/.exec(res.text)?.[1];
    expect(link).toBeDefined();
    expect(res.text).toContain(
      'No mail server is configured (<code>SMTP_URL</code>): the owner invitation to <strong>new@example.com</strong> was written to the outbox folder on the server. Send them the link below yourself.',
    );
    expect(res.text).not.toContain('was mailed to');
    const mails = outboxMails(t.dataDir);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: 'new@example.com', from: 'Acme <no-reply@localhost>' });
    expect(mails[0].subject).toMatch(/ invited you to Acme$/);
    expect(mails[0].text).toContain(link);
  });

  it('still creates the tenant when the invitation cannot be mailed, says so and shows the link', async () => {
    t.platform.mailer.send = async () => {
      throw new Error('the mail server refused the connection');
    };
    const posted = await postForm(admin, '/admin/tenants', { name: 'Acme', slug: 'acme', owner_email: 'new@example.com' });
    expect(posted.status).toBe(303);
    expect(t.platform.tenants.findBySlug('acme')).toMatchObject({ status: 'active' });
    const res = await admin.get(posted.headers.location);
    expect(res.text).toContain('The owner invitation to <strong>new@example.com</strong> could not be mailed');
    expect(res.text).toMatch(/value="http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]+"/);
    expect(t.platform.invitations.countPending(t.platform.tenants.findBySlug('acme')!.id)).toBe(1);
  });

  describe('the same form sent twice (a double click, a browser sending it again)', () => {
    const form = { name: 'Acme', slug: 'acme', owner_email: 'new@example.com' };
    const send = (csrf: string, body: Record<string, string> = form) =>
      admin
        .post('/admin/tenants')
        .type('form')
        .send({ ...body, _csrf: csrf });
    const linkOn = (html: string) => /value="(http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]+)"/.exec(html)?.[1];

    const expectOneCreation = async () => {
      const tenant = t.platform.tenants.findBySlug('acme');
      expect(tenant).toMatchObject({ status: 'active' });
      expect(await t.platform.tenants.list()).toHaveLength(1);
      expect(t.platform.invitations.countPending(tenant!.id)).toBe(1);
      expect(outboxMails(t.dataDir)).toHaveLength(1);
      const audited = t.platform.db.connection().prepare("select count(*) as n from audit_events where action = 'tenant.create'").get() as { n: number };
      expect(audited.n).toBe(1);
      // The page shows the link of the one invitation, once, and that link is the one mailed.
      const page = await admin.get('/admin/tenants/acme/created');
      expect(page.text).toContain('<h1>Acme is ready</h1>');
      expect(outboxMails(t.dataDir)[0].text).toContain(linkOn(page.text));
    };

    beforeEach(() => fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true }));

    it('makes one tenant when both arrive at once, and both lead to the page of what it made', async () => {
      const csrf = await csrfFrom(admin, '/admin/tenants/new');
      const answers = await Promise.all([send(csrf), send(csrf)]);
      expect(answers.map((a) => [a.status, a.headers.location])).toEqual([
        [303, '/admin/tenants/acme/created'],
        [303, '/admin/tenants/acme/created'],
      ]);
      await expectOneCreation();
    });

    it('makes one tenant when the second arrives after the first is done, and leads to the page of what the first made', async () => {
      const csrf = await csrfFrom(admin, '/admin/tenants/new');
      expect((await send(csrf)).headers.location).toBe('/admin/tenants/acme/created');
      const again = await send(csrf);
      expect(again.status).toBe(303);
      expect(again.headers.location).toBe('/admin/tenants/acme/created');
      await expectOneCreation();
    });

    it('still refuses the slug to another form: another owner, another name, or the same form long after', async () => {
      const csrf = await csrfFrom(admin, '/admin/tenants/new');
      await send(csrf);
      for (const other of [
        { ...form, owner_email: 'someone-else@example.com' },
        { ...form, owner_email: '' },
        { ...form, name: 'Acme Two' },
      ]) {
        const refused = await send(csrf, other);
        expect(refused.status).toBe(400);
        expect(refused.text).toContain('is already taken');
      }
      t.platform.db.connection().prepare('update tenants set created_at = created_at - 60000').run();
      expect((await send(csrf)).text).toContain('is already taken');
      expect(await t.platform.tenants.list()).toHaveLength(1);
    });

    it('refuses the form sent again after the first failed, never leading to the page of a tenant that was not made', async () => {
      jest.spyOn(seedTenant, 'run').mockRejectedValueOnce(new Error('disk full'));
      const csrf = await csrfFrom(admin, '/admin/tenants/new');
      expect((await send(csrf)).status).toBe(500);
      expect(t.platform.tenants.findBySlug('acme')).toMatchObject({ status: 'failed' });
      const again = await send(csrf);
      expect(again.status).toBe(400);
      expect(again.text).toContain('is already taken');
      expect(t.platform.tenants.findBySlug('acme')).toMatchObject({ status: 'failed' });
      expect(outboxMails(t.dataDir)).toHaveLength(0);
    });

    it("still refuses the slug to another super admin's identical form", async () => {
      const other = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
      const csrf = await csrfFrom(admin, '/admin/tenants/new');
      await send(csrf);
      const refused = await postForm(other, '/admin/tenants', form);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('is already taken');
    });
  });

  it('answers a bad form with a 400 naming each field, and writes nothing', async () => {
    const res = await postForm(admin, '/admin/tenants', { name: '', slug: '../etc', owner_email: 'not-an-email' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Name is required');
    expect(res.text).toContain('Slug may use lowercase letters');
    expect(res.text).toContain('must be a valid email address');
    expect(await t.platform.tenants.list()).toEqual([]);
    expect(fs.existsSync(tenantsRoot(t.dataDir)) ? fs.readdirSync(tenantsRoot(t.dataDir)) : []).toEqual([]);
  });

  it('answers JSON clients with the field and the reason', async () => {
    const csrfPage = await admin.get('/admin/tenants/new');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(csrfPage.text)?.[1] ?? '';
    const res = await admin.post('/admin/tenants').set('Accept', 'application/json').set('x-csrf-token', csrf).send({ name: 'Acme', slug: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'validation_failed', message: expect.any(String), fields: [{ field: 'slug', message: 'is a reserved word' }] } });
  });

  it('suspends and resumes a tenant; a suspended tenant shows its members a notice and its handle is closed', async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    const member = await makeUser(t.platform);
    await addMember(t.platform, member, tenant, 'owner');
    const memberAgent = await signIn(app, member.email);
    expect((await memberAgent.get('/t/acme')).status).toBe(200);
    expect(t.platform.router.isOpen(tenant.id)).toBe(true);

    expect((await postForm(admin, '/admin/tenants/acme/suspend', { reason: 'Unpaid' })).status).toBe(303);
    expect(t.platform.tenants.findById(tenant.id)?.status).toBe('suspended');
    expect(t.platform.router.isOpen(tenant.id)).toBe(false);
    expect((await memberAgent.get('/t/acme')).status).toBe(403);

    expect((await postForm(admin, '/admin/tenants/acme/resume', {})).status).toBe(303);
    expect((await memberAgent.get('/t/acme')).status).toBe(200);
  });

  it('is invisible to users who are not super admins', async () => {
    const user = await makeUser(t.platform);
    const agent = await signIn(app, user.email);
    expect((await agent.get('/admin/tenants')).status).toBe(404);
    expect((await postForm(agent, '/admin/tenants', { name: 'X', slug: 'xyz' })).status).toBe(404);
    expect(await t.platform.tenants.list()).toEqual([]);
  });
});

describe('requests the server cannot read', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  it('answer 413 for a body over the limit and 400 for malformed JSON, never 500', async () => {
    const { app } = createApp(t.platform);
    const big = await request(app)
      .post('/login')
      .type('form')
      .send({ email: 'x'.repeat(200_000) });
    expect(big.status).toBe(413);
    const broken = await request(app).post('/api/v1/context/switch').set('Content-Type', 'application/json').send('{"tenant": ');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('bad_request');
  });
});
