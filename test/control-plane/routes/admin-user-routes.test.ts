import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { csrfFrom, signIn, type Agent } from '../../support/http-agent';
import { auditOf } from '../../support/team';
import { accountsSnapshot, fieldsOf, sessionCount, submitFrom } from '../../support/accounts';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe('the users pages for super admins', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let root: UserRecord;
  let admin: Agent;
  let acme: TenantRecord;
  let globex: TenantRecord;
  let alice: UserRecord;
  let bob: UserRecord;

  const post = (who: Agent, path: string, body: Record<string, string> = {}) => submitFrom(who, '/tenants', path, body);

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    root = await makeUser(t.platform, { superAdmin: true, email: 'root@example.com', name: 'Root' });
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    globex = await makeTenant(t.platform, 'globex', 'Globex Corp');
    alice = await makeUser(t.platform, { email: 'alice@acme.test', name: 'Alice Archer' });
    bob = await makeUser(t.platform, { email: 'bob@globex.test', name: 'Bob Baker' });
    await addMember(t.platform, alice, acme, 'owner');
    await addMember(t.platform, alice, globex, 'editor');
    await addMember(t.platform, bob, globex, 'owner');
    admin = await signIn(app, root.email);
  });
  afterEach(() => t.cleanup());

  describe('the list', () => {
    it('shows every user with status, workspace count and a link to their page', async () => {
      const res = await admin.get('/admin/users');
      expect(res.status).toBe(200);
      for (const u of [root, alice, bob]) expect(res.text).toContain(`href="/admin/users/${u.id}"`);
      expect(res.text).toContain('3 users.');
      expect(res.text).toMatch(/alice@acme\.test<\/td>\s*<td><span class="status status-active">active<\/span><\/td>\s*<td class="num">2<\/td>/);
    });

    it('shows the UTC day each user was created, and — for last seen when they never signed in', async () => {
      t.platform.db.run('update users set created_at = ? where id = ?', [Date.UTC(2025, 2, 1, 23, 59), alice.id]);

      const res = await admin.get('/admin/users');

      expect(res.text).toMatch(/alice@acme\.test<\/td>(?:\s*<td[^\n]*<\/td>)*?\s*<td>—<\/td>\s*<td>2025-03-01<\/td>/);
      expect((await admin.get(`/admin/users/${alice.id}`)).text).toContain('<dt>Created</dt><dd>2025-03-01</dd>');
    });

    it('searches by email and by name, case-insensitively, taking % and _ literally', async () => {
      expect((await admin.get('/admin/users?q=ACME')).text).toContain('1 user.');
      const byName = await admin.get('/admin/users?q=baker');
      expect(byName.text).toContain('bob@globex.test');
      expect(byName.text).not.toContain('alice@acme.test');
      expect((await admin.get('/admin/users?q=%25')).text).toContain('0 users.');
      expect((await admin.get('/admin/users?q=_')).text).toContain('0 users.');
    });

    it('searches names case-insensitively in every script, not ASCII only', async () => {
      await makeUser(t.platform, { email: 'zoe@ecole.test', name: 'Zoé Émond' });
      const res = await admin.get(`/admin/users?q=${encodeURIComponent('ÉMOND')}`);
      expect(res.text).toContain('1 user.');
      expect(res.text).toContain('zoe@ecole.test');
      // A full fold: "ß" is "ss", typed either way.
      await makeUser(t.platform, { email: 'jo@gross.test', name: 'Jo Großmann' });
      for (const q of ['GROSSMANN', 'großmann']) {
        const found = await admin.get(`/admin/users?q=${encodeURIComponent(q)}`);
        expect(found.text).toContain('1 user.');
        expect(found.text).toContain('jo@gross.test');
      }
    });

    it('filters by status', async () => {
      t.platform.users.setStatus(bob.id, 'disabled');
      const res = await admin.get('/admin/users?status=disabled');
      expect(res.text).toContain('1 user.');
      expect(res.text).toContain('bob@globex.test');
    });

    it('pages 50 at a time', async () => {
      for (let i = 0; i < 52; i++) await makeUser(t.platform, { email: `bulk-${String(i).padStart(2, '0')}@many.test` });
      const first = await admin.get('/admin/users?q=many.test');
      expect(first.text).toContain('52 users.');
      expect(first.text).toContain('Page 1 of 2');
      expect(first.text.match(/@many\.test<\/td>/g)).toHaveLength(50);
      const second = await admin.get('/admin/users?q=many.test&page=2');
      expect(second.text.match(/@many\.test<\/td>/g)).toHaveLength(2);
      expect(second.text).toContain('bulk-51@many.test');
    });

    it('shows the last page for a page past the end (a link kept while users were deleted), its search kept in the pager', async () => {
      for (let i = 0; i < 52; i++) await makeUser(t.platform, { email: `bulk-${String(i).padStart(2, '0')}@many.test` });
      const past = await admin.get('/admin/users?q=many.test&page=9');
      expect(past.status).toBe(200);
      expect(past.text).toContain('Page 2 of 2');
      expect(past.text.match(/@many\.test<\/td>/g)).toHaveLength(2);
      expect(past.text).toContain('href="/admin/users?q=many.test">Previous</a>');
      expect(past.text).not.toContain('No users match.');
    });

    it.each([
      ['status=gone', 'Status'],
      ['page=0', 'Page'],
      ['page=abc', 'Page'],
      [`q=${'x'.repeat(321)}`, 'Email or name'],
    ])('refuses ?%s with 400 naming the field', async (query, field) => {
      const res = await admin.get(`/admin/users?${query}`);
      expect(res.status).toBe(400);
      expect(fieldsOf(res.text)).toEqual([field]);
    });
  });

  describe("a user's page", () => {
    it('lists their memberships with each tenant and role', async () => {
      const res = await admin.get(`/admin/users/${alice.id}`);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/Acme Studio[\s\S]*?Owner/);
      expect(res.text).toMatch(/Globex Corp[\s\S]*?Editor/);
    });

    it.each(['u0000', 'nobody', `${'u'.padEnd(25, 'f')}`, '..%2f..%2fetc'])('answers 404 for %s', async (id) => {
      expect((await admin.get(`/admin/users/${id}`)).status).toBe(404);
    });
  });

  describe('disabling and enabling', () => {
    // Alice owns acme; a second active owner there lets her be disabled without a confirmation.
    const secondOwnerOfAcme = async () => addMember(t.platform, await makeUser(t.platform, { email: 'carol@acme.test' }), acme, 'owner');

    it('ends every session of the user at once and stops sign-in; enabling lets them in again', async () => {
      await secondOwnerOfAcme();
      const alicesBrowser = await signIn(app, alice.email);
      expect(sessionCount(t.platform, alice.id)).toBe(1);
      const res = await post(admin, `/admin/users/${alice.id}/disable`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/admin/users/${alice.id}?done=disabled`);
      expect(sessionCount(t.platform, alice.id)).toBe(0);
      expect(t.platform.users.findById(alice.id)?.status).toBe('disabled');
      const gone = await alicesBrowser.get('/t/acme');
      expect(gone.status).toBe(302);
      expect(gone.headers.location).toMatch(/^\/login/);
      await expect(signIn(app, alice.email)).rejects.toThrow(': 401');
      expect(auditOf(t.platform, 'user.disable')).toMatchObject([{ actor_user_id: root.id, target_id: alice.id, tenant_id: null }]);
      expect(JSON.parse(auditOf(t.platform, 'user.disable')[0].after ?? '{}')).toEqual({ status: 'disabled', sessionsEnded: 1 });

      expect((await post(admin, `/admin/users/${alice.id}/enable`)).status).toBe(303);
      expect(t.platform.users.findById(alice.id)?.status).toBe('active');
      await expect(signIn(app, alice.email)).resolves.toBeDefined();
      expect(auditOf(t.platform, 'user.enable')).toHaveLength(1);
    });

    it('refuses to disable the super admin doing it (409), changing nothing', async () => {
      const before = accountsSnapshot(t.platform);
      const res = await post(admin, `/admin/users/${root.id}/disable`);
      expect(res.status).toBe(409);
      expect(accountsSnapshot(t.platform)).toEqual(before);
    });

    it('records nothing when the account is already disabled', async () => {
      await secondOwnerOfAcme();
      await post(admin, `/admin/users/${alice.id}/disable`);
      await post(admin, `/admin/users/${alice.id}/disable`);
      expect(auditOf(t.platform, 'user.disable')).toHaveLength(1);
    });

    it("refuses to disable a workspace's only active owner on the page, naming the workspace by the disable form, and changes nothing", async () => {
      const page = await admin.get(`/admin/users/${alice.id}`);
      expect(page.text).toContain('The only active owner of Acme Studio (acme)');
      expect(page.text).toContain('name="force"');
      const alicesBrowser = await signIn(app, alice.email);
      const before = accountsSnapshot(t.platform);

      const res = await post(admin, `/admin/users/${alice.id}/disable`);
      expect(res.status).toBe(400);
      expect(res.text).toMatch(
        /<p class="field-error" id="force-error">Disable anyway is required: alice@acme\.test is the only active owner of acme \(Acme Studio\); disabling the account leaves it without an owner who can act<\/p>/,
      );
      expect(res.text).toContain('aria-describedby="force-error"');
      expect(accountsSnapshot(t.platform)).toEqual(before);
      expect(t.platform.users.findById(alice.id)?.status).toBe('active');
      expect(sessionCount(t.platform, alice.id)).toBe(1);
      expect((await alicesBrowser.get('/t/acme')).status).toBe(200);
      expect(auditOf(t.platform, 'user.disable')).toEqual([]);
    });

    it('disables the only active owner once "Disable anyway" is ticked, and records the workspaces left without an owner', async () => {
      const res = await post(admin, `/admin/users/${alice.id}/disable`, { force: 'yes' });
      expect(res.status).toBe(303);
      expect(t.platform.users.findById(alice.id)?.status).toBe('disabled');
      expect(JSON.parse(auditOf(t.platform, 'user.disable')[0].after ?? '{}')).toEqual({ status: 'disabled', sessionsEnded: 0, leftWithoutOwner: ['acme'] });
    });

    it('counts an owner whose account is disabled for nothing, and offers no confirmation to a user who owns nothing alone', async () => {
      const dormant = await makeUser(t.platform, { email: 'dormant@acme.test' });
      await addMember(t.platform, dormant, acme, 'owner');
      t.platform.users.setStatus(dormant.id, 'disabled');
      expect((await post(admin, `/admin/users/${alice.id}/disable`)).status).toBe(400);
      await secondOwnerOfAcme();
      expect((await admin.get(`/admin/users/${alice.id}`)).text).not.toContain('name="force"');
      expect((await post(admin, `/admin/users/${alice.id}/disable`)).status).toBe(303);
    });
  });

  it('signs a user out everywhere without disabling them', async () => {
    const one = await signIn(app, alice.email);
    await signIn(app, alice.email);
    expect(sessionCount(t.platform, alice.id)).toBe(2);
    const res = await post(admin, `/admin/users/${alice.id}/sign-out`);
    expect(res.status).toBe(303);
    expect(sessionCount(t.platform, alice.id)).toBe(0);
    expect((await one.get('/t/acme')).status).toBe(302);
    expect(t.platform.users.findById(alice.id)?.status).toBe('active');
    await expect(signIn(app, alice.email)).resolves.toBeDefined();
    expect(JSON.parse(auditOf(t.platform, 'user.sign_out_everywhere')[0].after ?? '{}')).toEqual({ sessionsEnded: 2 });
  });

  describe('deleting', () => {
    it("refuses while the user is a tenant's last owner (409 naming it), changing nothing", async () => {
      const before = accountsSnapshot(t.platform);
      const res = await post(admin, `/admin/users/${alice.id}/delete`, { confirm: alice.email });
      expect(res.status).toBe(409);
      expect(res.text).toContain('last owner of acme');
      expect(accountsSnapshot(t.platform)).toEqual(before);
    });

    it('refuses without the email typed (400 on confirm), changing nothing', async () => {
      const before = accountsSnapshot(t.platform);
      const res = await post(admin, `/admin/users/${bob.id}/delete`, { confirm: 'someone@else.test' });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.text)).toEqual(['Type the email address to confirm']);
      expect(accountsSnapshot(t.platform)).toEqual(before);
    });

    it('deletes once ownership moved: memberships and sessions go, audit rows keep the id, each tenant trail says so', async () => {
      const carol = await makeUser(t.platform, { email: 'carol@acme.test' });
      await addMember(t.platform, carol, acme, 'owner');
      await signIn(app, alice.email);
      const res = await post(admin, `/admin/users/${alice.id}/delete`, { confirm: '  ALICE@acme.test ' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/users?done=deleted');
      expect(t.platform.users.findById(alice.id)).toBeUndefined();
      expect(t.platform.db.connection().prepare('select count(*) as n from memberships where user_id = ?').get(alice.id)).toEqual({ n: 0 });
      expect(sessionCount(t.platform, alice.id)).toBe(0);
      const [deleted] = auditOf(t.platform, 'user.delete');
      expect(deleted).toMatchObject({ actor_user_id: root.id, target_id: alice.id });
      expect(JSON.parse(deleted.before ?? '{}')).toMatchObject({ email: 'alice@acme.test', name: 'Alice Archer' });
      const removals = auditOf(t.platform, 'membership.remove').filter((r) => r.target_id === alice.id);
      expect(removals.map((r) => r.tenant_id).sort()).toEqual([acme.id, globex.id].sort());
      // The trail still shows the id of a user who is gone.
      expect((await admin.get('/admin/audit?action=user.delete')).text).toContain(alice.id);
      await expect(signIn(app, alice.email, TEST_PASSWORD)).rejects.toThrow(': 401');
    });

    for (const [when, twice] of [
      ['at once', <T>(send: () => Promise<T>) => Promise.all([send(), send()])],
      ['one after the other', async <T>(send: () => Promise<T>) => [await send(), await send()]],
    ] as const) {
      it(`deletes once when the deletion is sent twice ${when}, and leads both to the list, not to "not found"`, async () => {
        const _csrf = await csrfFrom(admin, `/admin/users/${bob.id}`);
        await addMember(t.platform, root, globex, 'owner');
        const send = () => admin.post(`/admin/users/${bob.id}/delete`).type('form').send({ confirm: bob.email, _csrf });
        const answers = await twice(send);
        expect(answers.map((a) => [a.status, a.headers.location])).toEqual([
          [303, '/admin/users?done=deleted'],
          [303, '/admin/users?done=deleted'],
        ]);
        expect(t.platform.users.findById(bob.id)).toBeUndefined();
        expect(auditOf(t.platform, 'user.delete')).toHaveLength(1);
      });
    }

    it('still answers 404 for an account deleted long ago, or by another super admin', async () => {
      await addMember(t.platform, root, globex, 'owner');
      await post(admin, `/admin/users/${bob.id}/delete`, { confirm: bob.email });
      const other = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
      expect((await post(other, `/admin/users/${bob.id}/delete`, { confirm: bob.email })).status).toBe(404);
      t.platform.db.run("update audit_events set created_at = created_at - 60000 where action = 'user.delete'");
      expect((await post(admin, `/admin/users/${bob.id}/delete`, { confirm: bob.email })).status).toBe(404);
    });

    it('refuses to delete the super admin doing it', async () => {
      expect((await post(admin, `/admin/users/${root.id}/delete`, { confirm: root.email })).status).toBe(409);
      expect(t.platform.users.findById(root.id)).toBeDefined();
    });
  });

  describe('for anyone but a super admin', () => {
    it.each(['owner', 'admin'])('a tenant %s gets 404 on every users page and action, and nothing changes', async (role) => {
      const member = await makeUser(t.platform, { email: `${role}@acme.test` });
      await addMember(t.platform, member, acme, role);
      const agent = await signIn(app, member.email);
      const before = accountsSnapshot(t.platform);
      for (const path of ['/admin/users', `/admin/users/${bob.id}`, `/admin/users/${alice.id}`]) {
        const res = await agent.get(path);
        expect(res.status).toBe(404);
        expect(res.text).not.toContain('bob@globex.test');
      }
      // Another tenant's user by id, by URL and by form field; and a user of their own tenant.
      for (const [target, action, body] of [
        [bob.id, 'disable', {}],
        [bob.id, 'sign-out', {}],
        [bob.id, 'delete', { confirm: bob.email }],
        [alice.id, 'enable', {}],
        [bob.id, 'impersonate', { reason: 'curious' }],
      ] as const) {
        expect((await post(agent, `/admin/users/${target}/${action}`, body)).status).toBe(404);
      }
      expect(accountsSnapshot(t.platform)).toEqual(before);
    });

    it('a visitor who is not signed in is sent to sign in, and a POST is refused', async () => {
      const res = await request(app).get('/admin/users');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/login?next=%2Fadmin%2Fusers');
      expect((await request(app).post(`/admin/users/${bob.id}/disable`)).status).toBe(403);
      expect(t.platform.users.findById(bob.id)?.status).toBe('active');
    });
  });
});
