import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { csrfFrom, signIn, type Agent } from '../../support/http-agent';
import { auditOf, invite, linkPath, membershipOf, roleKeyOf } from '../../support/team';
import { accountsSnapshot, fieldsOf, sessionCount, submitFrom } from '../../support/accounts';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import type { ImpersonationState } from '../../../core/http/request-types';
import { inTenant } from '../../support/content';

const REASON = 'Ticket 4711: the client cannot find the approve button';

describe('impersonation', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let root: UserRecord;
  let peer: UserRecord;
  let alice: UserRecord;
  let carol: UserRecord;
  let bob: UserRecord;
  let acme: TenantRecord;
  let globex: TenantRecord;
  let admin: Agent;

  const post = (who: Agent, path: string, body: Record<string, string> = {}, tokenPage = '/tenants') => submitFrom(who, tokenPage, path, body);
  const impersonate = (who: Agent, user: UserRecord, reason = REASON) =>
    post(who, `/admin/users/${user.id}/impersonate`, { reason }, `/admin/users/${user.id}`);
  const sidsOf = (userId: string) =>
    (t.platform.db.connection().prepare('select sid from sessions where user_id = ?').all(userId) as Array<{ sid: string }>).map((r) => r.sid);
  const stateOf = (userId: string): ImpersonationState | undefined => {
    const row = t.platform.db.connection().prepare('select data from sessions where user_id = ?').get(userId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as { impersonation?: ImpersonationState }).impersonation : undefined;
  };
  const expireImpersonation = (userId: string) =>
    t.platform.db
      .connection()
      .prepare("update sessions set data = json_set(data, '$.impersonation.expiresAt', ?) where user_id = ?")
      .run(Date.now() - 1, userId);

  beforeEach(async () => {
    t = await createTestPlatform({ IMPERSONATION_MINUTES: '20' });
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    globex = await makeTenant(t.platform, 'globex', 'Globex Corp');
    root = await makeUser(t.platform, { superAdmin: true, email: 'root@example.com', name: 'Root Admin' });
    peer = await makeUser(t.platform, { superAdmin: true, email: 'peer@example.com', name: 'Peer Admin' });
    alice = await makeUser(t.platform, { email: 'alice@acme.test', name: 'Alice Archer' });
    carol = await makeUser(t.platform, { email: 'carol@acme.test', name: 'Carol Clark' });
    bob = await makeUser(t.platform, { email: 'bob@globex.test', name: 'Bob Baker' });
    await addMember(t.platform, alice, acme, 'owner');
    await addMember(t.platform, carol, acme, 'viewer');
    await addMember(t.platform, bob, globex, 'owner');
    admin = await signIn(app, root.email);
  });
  afterEach(() => t.cleanup());

  describe('starting', () => {
    it('acts as the user on a new session id, lands on their workspace, and shows the banner on every page', async () => {
      const [before] = sidsOf(root.id);
      const res = await impersonate(admin, alice);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/t/acme');
      const after = sidsOf(root.id);
      expect(after).toHaveLength(1);
      expect(after[0]).not.toBe(before);
      for (const path of ['/t/acme', '/t/acme/items', '/account', '/tenants']) {
        const page = await admin.get(path);
        expect(page.status).toBe(200);
        expect(page.text).toContain('Impersonating Alice Archer');
        expect(page.text).toContain('action="/impersonation/stop"');
        expect(page.text).toContain(REASON);
      }
      expect((await admin.get('/account')).text).toContain('Signed in as alice@acme.test.');
      expect((await admin.get('/t/acme')).text).toContain('Your role: Owner');
    });

    it('lasts IMPERSONATION_MINUTES and is recorded in the platform trail and in each of the user’s tenants', async () => {
      await impersonate(admin, alice);
      const state = stateOf(root.id);
      expect(state).toMatchObject({ realUserId: root.id, targetUserId: alice.id, reason: REASON });
      expect((state?.expiresAt ?? 0) - (state?.startedAt ?? 0)).toBe(20 * 60_000);
      const rows = auditOf(t.platform, 'impersonation.start');
      expect(rows.map((r) => r.tenant_id)).toEqual([null, acme.id]);
      for (const row of rows) {
        expect(row).toMatchObject({ actor_user_id: root.id, target_type: 'user', target_id: alice.id });
        expect(JSON.parse(row.after ?? '{}')).toMatchObject({ reason: REASON, email: 'alice@acme.test' });
      }
      // The tenant's owners read it in their own trail.
      const owner = await signIn(app, alice.email);
      const trail = await owner.get('/t/acme/audit?action=impersonation.start');
      expect(trail.text).toContain('impersonation.start');
      expect(trail.text).toContain(REASON);
    });

    it('refuses to impersonate another super admin (403), records the refusal and leaves the session as it was', async () => {
      const [sid] = sidsOf(root.id);
      const res = await impersonate(admin, peer);
      expect(res.status).toBe(403);
      expect(sidsOf(root.id)).toEqual([sid]);
      expect(stateOf(root.id)).toBeUndefined();
      expect(auditOf(t.platform, 'impersonation.refused')).toMatchObject([{ actor_user_id: root.id, target_id: peer.id }]);
      expect(auditOf(t.platform, 'impersonation.start')).toEqual([]);
      expect((await admin.get('/admin/users')).status).toBe(200);
    });

    it.each([
      ['no reason', ''],
      ['a blank reason', '   '],
      ['a reason of 501 characters', 'x'.repeat(501)],
    ])('refuses %s with 400 on the reason field, starting nothing', async (_label, reason) => {
      const res = await impersonate(admin, alice, reason);
      expect(res.status).toBe(400);
      expect(fieldsOf(res.text)).toEqual(['Reason']);
      expect(stateOf(root.id)).toBeUndefined();
      expect(auditOf(t.platform, 'impersonation.start')).toEqual([]);
    });

    it('refuses a disabled account (409)', async () => {
      t.platform.users.setStatus(alice.id, 'disabled');
      expect((await impersonate(admin, alice)).status).toBe(409);
      expect(stateOf(root.id)).toBeUndefined();
    });
  });

  describe('while impersonating', () => {
    beforeEach(async () => {
      await impersonate(admin, alice);
    });

    it('records what is done as the user, with the super admin as the real actor', async () => {
      const carolsMembership = membershipOf(t.platform, carol, acme).membership_id;
      const res = await post(admin, `/t/acme/members/${carolsMembership}/role`, { role_id: String(t.platform.roles.findPredefined('editor')?.id) });
      expect(res.status).toBe(303);
      expect(roleKeyOf(t.platform, carol, acme)).toBe('editor');
      expect(auditOf(t.platform, 'membership.role_change')).toMatchObject([{ actor_user_id: alice.id, real_actor_user_id: root.id, tenant_id: acme.id }]);
      const created = await post(admin, '/t/acme/items', { title: 'Fixed for the client', body: '' });
      expect(created.status).toBe(303);
      const history = await admin.get(created.headers.location);
      expect(history.text).toContain('Alice Archer (by Root Admin, impersonating)');
      // Both trails name who really did it.
      const trail = await signIn(app, alice.email).then((owner) => owner.get('/t/acme/audit?action=membership.role_change'));
      expect(trail.text).toContain('by root@example.com (impersonating)');
    });

    it.each([
      [
        'the password',
        '/account/password',
        { current_password: TEST_PASSWORD, new_password: 'an entirely new passphrase', new_password_confirm: 'an entirely new passphrase' },
      ],
      ['the other sessions', '/account/sessions/revoke-others', {}],
      ['the default workspace', '/account/default-tenant', { default_tenant_id: '' }],
      ['the name', '/account/name', { name: 'Not Alice' }],
      ['the memberships', '/account/leave', { confirmed: 'yes', tenant_id: '' }],
    ])('refuses to change %s of the user (403), changing nothing', async (_label, path, body) => {
      const aliceElsewhere = await signIn(app, alice.email);
      const before = accountsSnapshot(t.platform);
      const res = await post(admin, path, body as Record<string, string>, '/account');
      expect(res.status).toBe(403);
      expect(res.text).toContain('Stop impersonating first');
      expect(accountsSnapshot(t.platform)).toEqual(before);
      expect((await aliceElsewhere.get('/account')).status).toBe(200);
      expect(auditOf(t.platform, 'impersonation.refused')).toMatchObject([{ actor_user_id: alice.id, real_actor_user_id: root.id, target_id: path }]);
    });

    it("refuses to change the user's mail choices in a workspace (403), recorded with both names, changing nothing", async () => {
      const res = await post(admin, '/t/acme/notifications', {}, '/t/acme/notifications');
      expect(res.status).toBe(403);
      expect(res.text).toContain('Stop impersonating first');
      expect(await inTenant(t.platform, acme, (db) => db.all('select * from notification_preferences'))).toEqual([]);
      expect(auditOf(t.platform, 'impersonation.refused')).toMatchObject([
        { actor_user_id: alice.id, real_actor_user_id: root.id, tenant_id: acme.id, target_id: '/t/acme/notifications' },
      ]);
    });

    it("refuses to revoke one of the user's sessions by its reference", async () => {
      await signIn(app, alice.email);
      const page = await admin.get('/account');
      const ref = /name="session" value="([0-9a-f]{32})"/.exec(page.text)?.[1] ?? '';
      const before = accountsSnapshot(t.platform);
      expect((await post(admin, '/account/sessions/revoke', { session: ref }, '/account')).status).toBe(403);
      expect(accountsSnapshot(t.platform)).toEqual(before);
    });

    it('refuses to accept an invitation for the user', async () => {
      const { url } = invite(t.platform, globex, alice.email, 'editor');
      const res = await post(admin, linkPath(url), {}, linkPath(url));
      expect(res.status).toBe(403);
      expect(t.platform.memberships.findActive(alice.id, globex.id)).toBeUndefined();
    });

    it('withholds ownership transfer even from an owner (403), changing nothing', async () => {
      const carolsMembership = membershipOf(t.platform, carol, acme).membership_id;
      const res = await post(admin, `/t/acme/members/${carolsMembership}/transfer-ownership`);
      expect(res.status).toBe(403);
      expect(roleKeyOf(t.platform, alice, acme)).toBe('owner');
      expect(roleKeyOf(t.platform, carol, acme)).toBe('viewer');
    });

    it("cannot reach another tenant (404 by URL, by form), nor the super admin's pages", async () => {
      const before = accountsSnapshot(t.platform);
      expect((await admin.get('/t/globex')).status).toBe(404);
      expect((await admin.get('/t/globex/items')).status).toBe(404);
      expect((await post(admin, '/t/globex/items', { title: 'Sneaky', body: '' })).status).toBe(404);
      expect((await post(admin, `/t/globex/members/${membershipOf(t.platform, bob, globex).membership_id}/remove`)).status).toBe(404);
      for (const path of ['/admin/users', '/admin/tenants', '/admin/audit', '/admin/break-glass']) expect((await admin.get(path)).status).toBe(404);
      expect((await post(admin, `/admin/users/${bob.id}/disable`)).status).toBe(404);
      expect(accountsSnapshot(t.platform)).toEqual(before);
      const refused = auditOf(t.platform, 'access.refused').find((r) => r.tenant_id === globex.id);
      expect(refused).toMatchObject({ actor_user_id: alice.id, real_actor_user_id: root.id });
    });

    it('answers a second impersonation with 409 naming whom the session acts as, keeping the session, its operator and the first impersonation', async () => {
      const [sid] = sidsOf(root.id);
      const first = stateOf(root.id);
      const res = await post(admin, `/admin/users/${bob.id}/impersonate`, { reason: 'Ticket 4712: another client' });
      expect(res.status).toBe(409);
      expect(res.text).toContain('You are already acting as Alice Archer. Stop impersonating first, then start again.');
      const json = await admin
        .post(`/admin/users/${bob.id}/impersonate`)
        .set('Accept', 'application/json')
        .set('x-csrf-token', await csrfFrom(admin, '/tenants'))
        .send({ reason: 'Ticket 4712: another client' });
      expect(json.status).toBe(409);
      expect(json.body.error).toMatchObject({ code: 'conflict' });
      expect(sidsOf(root.id)).toEqual([sid]);
      expect(stateOf(root.id)).toEqual(first);
      expect(auditOf(t.platform, 'impersonation.start').map((r) => r.target_id)).toEqual([alice.id, alice.id]);
      expect((await admin.get('/t/acme')).text).toContain('Impersonating Alice Archer');
      // Stopped, the super admin starts the next one.
      await post(admin, '/impersonation/stop');
      expect((await impersonate(admin, bob, 'Ticket 4712: another client')).status).toBe(303);
      expect(stateOf(root.id)).toMatchObject({ realUserId: root.id, targetUserId: bob.id });
    });

    it('does not move the user’s own last-used workspace', async () => {
      await admin.get('/t/acme');
      expect(t.platform.users.findById(alice.id)?.last_tenant_id).toBeNull();
    });
  });

  describe('ending', () => {
    beforeEach(async () => {
      await impersonate(admin, alice);
    });

    it('stops with the banner’s button: new session id, back to the super admin, recorded in both trails', async () => {
      const [during] = sidsOf(root.id);
      const res = await post(admin, '/impersonation/stop', {}, '/t/acme');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/admin/users/${alice.id}?done=impersonation-stopped`);
      const [after] = sidsOf(root.id);
      expect(after).not.toBe(during);
      expect(stateOf(root.id)).toBeUndefined();
      const page = await admin.get(res.headers.location);
      expect(page.text).toContain('You stopped impersonating this user.');
      expect(page.text).not.toContain('Impersonating Alice');
      expect((await admin.get('/t/acme')).status).toBe(404);
      const rows = auditOf(t.platform, 'impersonation.end');
      expect(rows.map((r) => r.tenant_id)).toEqual([null, acme.id]);
      expect(JSON.parse(rows[0].after ?? '{}')).toMatchObject({ how: 'stopped' });
    });

    it('ends at its expiry on the next request: a page goes back to the user’s admin page, on a new session id', async () => {
      const [during] = sidsOf(root.id);
      expireImpersonation(root.id);
      const res = await admin.get('/t/acme');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/admin/users/${alice.id}?done=impersonation-expired`);
      expect(sidsOf(root.id)).not.toContain(during);
      expect(stateOf(root.id)).toBeUndefined();
      expect((await admin.get(res.headers.location)).text).toContain('its time was up');
      expect(JSON.parse(auditOf(t.platform, 'impersonation.end')[0].after ?? '{}')).toMatchObject({ how: 'expired' });
    });

    it('refuses anything but a page once expired, doing nothing', async () => {
      const _csrf = /name="_csrf" value="([^"]+)"/.exec((await admin.get('/t/acme/members')).text)?.[1] ?? '';
      expireImpersonation(root.id);
      const before = accountsSnapshot(t.platform);
      const carolsMembership = membershipOf(t.platform, carol, acme).membership_id;
      const res = await admin.post(`/t/acme/members/${carolsMembership}/remove`).type('form').send({ _csrf });
      expect(res.status).toBe(403);
      expect(res.text).toContain('Your impersonation ended');
      expect(roleKeyOf(t.platform, carol, acme)).toBe('viewer');
      expect(accountsSnapshot(t.platform).memberships).toEqual(before.memberships);
    });

    it('ends when the user is disabled meanwhile', async () => {
      t.platform.users.setStatus(alice.id, 'disabled');
      const res = await admin.get('/t/acme');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/admin/users/${alice.id}?done=impersonation-target-unavailable`);
    });

    it('signing out ends the impersonation and the super admin’s session, recorded as the super admin', async () => {
      const res = await post(admin, '/logout', {}, '/t/acme');
      expect(res.status).toBe(302);
      expect(sessionCount(t.platform, root.id)).toBe(0);
      expect(auditOf(t.platform, 'auth.logout')).toMatchObject([{ actor_user_id: root.id }]);
      expect(JSON.parse(auditOf(t.platform, 'impersonation.end')[0].after ?? '{}')).toMatchObject({ how: 'signed-out' });
    });
  });

  it('has no stop button to press when nobody is impersonated (404)', async () => {
    expect((await post(admin, '/impersonation/stop')).status).toBe(404);
    const member = await signIn(app, carol.email);
    expect((await post(member, '/impersonation/stop')).status).toBe(404);
  });
});
