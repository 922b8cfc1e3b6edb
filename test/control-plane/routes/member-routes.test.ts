import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import { auditOf, invite, makeCustomRole, membershipOf, roleId, roleKeyOf, setRole } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { toSessionUser, type UserRecord } from '../../../control-plane/users/user-record';
import request from 'supertest';
import { bearer, personalToken } from '../../support/api-tokens';
import { hashApiToken } from '../../../control-plane/api-tokens/token-secret';
import { HONOLULU_EVE, honoluluWorkspace } from '../../support/zoned-workspace';
import { acceptInvitation } from '../../../control-plane/invitations/accept-invitation';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

describe('members', () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  const users = {} as Record<'alice' | 'adam' | 'vera' | 'bob' | 'bart', UserRecord>;
  const agents = {} as Record<'alice' | 'adam' | 'vera', Agent>;

  const memberId = (name: keyof typeof users, tenant = alpha) => membershipOf(t.platform, users[name], tenant).membership_id;
  const roleOf = (name: keyof typeof users, tenant = alpha) => roleKeyOf(t.platform, users[name], tenant);

  let app: ReturnType<typeof createApp>['app'];
  const tokenIdOf = (token: string) => t.platform.apiTokens.findByHash(hashApiToken(token))?.id;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha');
    bravo = await makeTenant(t.platform, 'bravo');
    for (const name of ['alice', 'adam', 'vera', 'bob', 'bart'] as const)
      users[name] = await makeUser(t.platform, { email: `${name}@example.com`, name: name[0].toUpperCase() + name.slice(1) });
    for (const name of ['alice', 'adam', 'vera'] as const) agents[name] = await signIn(app, users[name].email);
    agents.alice.set('User-Agent', 'member-tests/1.0');
  });
  afterAll(() => t.cleanup());

  beforeEach(async () => {
    // Alpha: alice owns, adam administers, vera views. Bravo: bob owns, bart views.
    await setRole(t.platform, users.alice, alpha, 'owner');
    await setRole(t.platform, users.adam, alpha, 'admin');
    await setRole(t.platform, users.vera, alpha, 'viewer');
    await setRole(t.platform, users.bob, bravo, 'owner');
    await setRole(t.platform, users.bart, bravo, 'viewer');
  });

  it('lists the members with their roles; a viewer sees the list read-only', async () => {
    const owner = await agents.alice.get('/t/alpha/members');
    expect(owner.status).toBe(200);
    for (const text of ['Alice', 'adam@example.com', 'Vera', 'Viewer', 'Admin', 'name="role_id"', '/remove', '/transfer-ownership'])
      expect(owner.text).toContain(text);
    expect(owner.text).not.toContain('bart@example.com');

    const viewer = await agents.vera.get('/t/alpha/members');
    expect(viewer.status).toBe(200);
    expect(viewer.text).toContain('alice@example.com');
    for (const hidden of ['name="role_id"', '/remove', '/transfer-ownership', 'Invite people', '/t/alpha/roles"', '/t/alpha/invitations"'])
      expect(viewer.text).not.toContain(hidden);
    expect(viewer.text).toContain('/t/alpha/members"');
  });

  it('says nothing of transferring ownership to an owner who is the only member, with nobody to transfer to', async () => {
    const solo = await makeTenant(t.platform, 'solo');
    await setRole(t.platform, users.alice, solo, 'owner');
    const alone = await agents.alice.get('/t/solo/members');
    expect(alone.status).toBe(200);
    expect(alone.text).not.toContain('transfers ownership');
    expect(alone.text).not.toContain('/transfer-ownership');

    await setRole(t.platform, users.vera, solo, 'viewer');
    const withVera = await agents.alice.get('/t/solo/members');
    expect(withVera.text).toContain('transfers ownership');
    expect(withVera.text).toContain(`/members/${memberId('vera', solo)}/transfer-ownership`);
  });

  it('offers "Make owner" only for members who are not owners, and refuses a transfer to an owner, keeping every role', async () => {
    await setRole(t.platform, users.adam, alpha, 'owner');
    const page = await agents.alice.get('/t/alpha/members');
    expect(page.text).toContain(`/members/${memberId('vera')}/transfer-ownership`);
    expect(page.text).not.toContain(`/members/${memberId('adam')}/transfer-ownership`);

    const refused = await postForm(agents.alice, `/t/alpha/members/${memberId('adam')}/transfer-ownership`, { confirmed: 'yes' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Adam already owns this workspace.');
    expect([roleOf('alice'), roleOf('adam'), roleOf('vera')]).toEqual(['owner', 'owner', 'viewer']);
    expect(auditOf(t.platform, 'ownership.transfer').filter((a) => a.target_id === users.adam.id)).toEqual([]);

    // With every other member an owner, there is nobody to transfer to: no button, no note.
    await setRole(t.platform, users.vera, alpha, 'owner');
    const allOwners = await agents.alice.get('/t/alpha/members');
    expect(allOwners.text).not.toContain('/transfer-ownership');
    expect(allOwners.text).not.toContain('transfers ownership');
  });

  it('refuses a transfer to an owner, the removal of the last owner, and an admin removing an owner before asking for confirmation', async () => {
    const asked = await postForm(agents.alice, `/t/alpha/members/${memberId('vera')}/transfer-ownership`, {});
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('name="confirmed"');

    await setRole(t.platform, users.adam, alpha, 'owner');
    const toOwner = await postForm(agents.alice, `/t/alpha/members/${memberId('adam')}/transfer-ownership`, {});
    expect(toOwner.status).toBe(409);
    expect(toOwner.text).toContain('Adam already owns this workspace.');
    expect(toOwner.text).not.toContain('name="confirmed"');
    await setRole(t.platform, users.adam, alpha, 'admin');

    const lastOwner = await postForm(agents.alice, `/t/alpha/members/${memberId('alice')}/remove`, {});
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.text).toContain('Alice is the last owner and cannot be removed.');
    expect(lastOwner.text).not.toContain('name="confirmed"');

    const aboveAdmin = await postForm(agents.adam, `/t/alpha/members/${memberId('alice')}/remove`, {});
    expect(aboveAdmin.status).toBe(403);
    expect(aboveAdmin.text).not.toContain('name="confirmed"');
    expect([roleOf('alice'), roleOf('adam'), roleOf('vera')]).toEqual(['owner', 'admin', 'viewer']);
  });

  it("changes a member's role with effect on their very next request, and records it", async () => {
    expect((await agents.vera.get('/t/alpha/items/new')).status).toBe(403);
    const res = await postForm(agents.alice, `/t/alpha/members/${memberId('vera')}/role`, { role_id: String(roleId(t.platform, 'editor')) });
    expect(res.status).toBe(303);
    expect(roleOf('vera')).toBe('editor');
    expect((await agents.vera.get('/t/alpha/items/new')).status).toBe(200);
    const entry = auditOf(t.platform, 'membership.role_change').pop();
    expect(entry).toMatchObject({
      tenant_id: alpha.id,
      actor_user_id: users.alice.id,
      target_type: 'user',
      target_id: users.vera.id,
      user_agent: 'member-tests/1.0',
      ip: expect.any(String),
    });
    expect(JSON.parse(entry?.before ?? '{}')).toMatchObject({ role: 'Viewer' });
    expect(JSON.parse(entry?.after ?? '{}')).toMatchObject({ role: 'Editor' });
  });

  it('removes a member, who then gets 404 for the tenant; the removal is recorded', async () => {
    expect((await postForm(agents.adam, `/t/alpha/members/${memberId('vera')}/remove`, { confirmed: 'yes' })).status).toBe(303);
    expect(t.platform.memberships.findActive(users.vera.id, alpha.id)).toBeUndefined();
    expect((await agents.vera.get('/t/alpha/members')).status).toBe(404);
    const entry = auditOf(t.platform, 'membership.remove').pop();
    expect(entry).toMatchObject({ tenant_id: alpha.id, actor_user_id: users.adam.id, target_id: users.vera.id });
    expect(JSON.parse(entry?.after ?? '{}')).toEqual({ status: 'removed' });
  });

  it('answers a removal sent twice by the same member, after or at once, as done both times, removing once', async () => {
    const removals = () => auditOf(t.platform, 'membership.remove').filter((e) => e.target_id === users.vera.id).length;
    const before = removals();
    const removal = `/t/alpha/members/${memberId('vera')}/remove`;
    const first = await postForm(agents.adam, removal, { confirmed: 'yes' });
    const again = await postForm(agents.adam, removal, { confirmed: 'yes' });
    expect([again.status, again.headers.location]).toEqual([303, first.headers.location]);
    expect((await agents.adam.get(again.headers.location)).text).toContain('Vera was removed from the workspace.');

    await setRole(t.platform, users.vera, alpha, 'viewer');
    const atOnce = await Promise.all([1, 2].map(() => postForm(agents.adam, `/t/alpha/members/${memberId('vera')}/remove`, { confirmed: 'yes' })));
    expect(atOnce.map((r) => [r.status, r.headers.location])).toEqual([
      [303, first.headers.location],
      [303, first.headers.location],
    ]);
    expect(removals() - before).toBe(2);
  });

  it('still answers 404 to a removal made by another member, long ago, or in another workspace', async () => {
    const removal = `/t/alpha/members/${memberId('vera')}/remove`;
    expect((await postForm(agents.adam, removal, { confirmed: 'yes' })).status).toBe(303);
    expect((await postForm(agents.alice, removal, { confirmed: 'yes' })).status).toBe(404);

    // Alice removes Bart from Bravo, then names his membership under Alpha.
    await setRole(t.platform, users.alice, bravo, 'admin');
    const bart = memberId('bart', bravo);
    expect((await postForm(agents.alice, `/t/bravo/members/${bart}/remove`, { confirmed: 'yes' }, '/t/bravo/members')).status).toBe(303);
    expect((await postForm(agents.alice, `/t/alpha/members/${bart}/remove`, { confirmed: 'yes' })).status).toBe(404);
    t.platform.db.run("update memberships set status = 'removed' where user_id = ? and tenant_id = ?", [users.alice.id, bravo.id]);

    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'membership.remove'", [DOUBLE_SUBMIT_MS + 1000]);
    expect((await postForm(agents.adam, removal, { confirmed: 'yes' })).status).toBe(404);
  });

  it('answers a member removing themselves twice, after or at once, where the first sent them, removing once and letting them in nowhere', async () => {
    const own = memberId('adam');
    const removal = () => postForm(agents.adam, `/t/alpha/members/${own}/remove`, { confirmed: 'yes' }, '/tenants');
    const removals = () => auditOf(t.platform, 'membership.remove').filter((e) => e.target_id === users.adam.id).length;
    const before = removals();
    const first = await removal();
    const again = await removal();
    expect([first.status, first.headers.location]).toEqual([303, '/tenants']);
    expect([again.status, again.headers.location]).toEqual([303, '/tenants']);
    expect((await agents.adam.get('/tenants')).text).toContain('Adam was removed from the workspace.');
    expect((await agents.adam.get('/t/alpha/members')).status).toBe(404);

    await setRole(t.platform, users.adam, alpha, 'admin');
    const again2 = memberId('adam');
    const atOnce = await Promise.all([1, 2].map(() => postForm(agents.adam, `/t/alpha/members/${again2}/remove`, { confirmed: 'yes' }, '/tenants')));
    expect(atOnce.map((r) => [r.status, r.headers.location])).toEqual([
      [303, '/tenants'],
      [303, '/tenants'],
    ]);
    expect(removals() - before).toBe(2);
    expect(t.platform.memberships.findActive(users.adam.id, alpha.id)).toBeUndefined();
    // Still no way in: their page, another member's removal, and their own removal's form all 404.
    expect((await agents.adam.get('/t/alpha')).status).toBe(404);
    expect((await postForm(agents.adam, `/t/alpha/members/${memberId('vera')}/remove`, { confirmed: 'yes' }, '/tenants')).status).toBe(404);
    expect(t.platform.memberships.findActive(users.vera.id, alpha.id)).toBeDefined();
  });

  it("answers 404 to a former member repeating their own removal long after, or in another workspace, and to anyone repeating someone else's", async () => {
    const own = memberId('adam');
    const vera = memberId('vera');
    expect((await postForm(agents.adam, `/t/alpha/members/${own}/remove`, { confirmed: 'yes' })).status).toBe(303);
    // Vera, removed by Adam, cannot take his removal for hers; Adam's own under Bravo's address is not his.
    expect((await postForm(agents.adam, `/t/bravo/members/${own}/remove`, { confirmed: 'yes' }, '/tenants')).status).toBe(404);
    expect((await postForm(agents.alice, `/t/alpha/members/${vera}/remove`, { confirmed: 'yes' })).status).toBe(303);
    expect((await postForm(agents.vera, `/t/alpha/members/${vera}/remove`, { confirmed: 'yes' }, '/tenants')).status).toBe(404);
    expect((await postForm(agents.vera, `/t/alpha/members/${own}/remove`, { confirmed: 'yes' }, '/tenants')).status).toBe(404);
    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'membership.remove'", [DOUBLE_SUBMIT_MS + 1000]);
    expect((await postForm(agents.adam, `/t/alpha/members/${own}/remove`, { confirmed: 'yes' }, '/tenants')).status).toBe(404);
  });

  it('answers the API client of a member removing themselves twice with the first answer, letting them in nowhere', async () => {
    const token = personalToken(t.platform, users.adam);
    const own = memberId('adam');
    const remove = () => request(app).post(`/api/v1/t/alpha/members/${own}/remove`).set(bearer(token));
    const first = await remove();
    const again = await remove();
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect(again.body.data).toMatchObject({ removed: true });
    expect((await request(app).get('/api/v1/t/alpha/members').set(bearer(token))).status).toBe(404);
    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'membership.remove'", [DOUBLE_SUBMIT_MS + 1000]);
    expect((await remove()).status).toBe(404);
  });

  it("replays a member's own removal retried with its Idempotency-Key, header and all, while the key is kept, and nothing else to them under a key", async () => {
    const leaver = await makeUser(t.platform);
    await setRole(t.platform, leaver, alpha, 'admin');
    const token = personalToken(t.platform, leaver);
    const own = membershipOf(t.platform, leaver, alpha).membership_id;
    const send = (path: string, key?: string) => {
      const req = request(app).post(path).set(bearer(token));
      return key ? req.set('Idempotency-Key', key) : req;
    };
    const removal = `/api/v1/t/alpha/members/${own}/remove`;
    const first = await send(removal, 'leave-once');
    const again = await send(removal, 'leave-once');
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.body.data).toMatchObject({ user: { id: leaver.id }, removed: true });
    // Past the moments a repeat without a key is answered in, the key's own answer is still theirs.
    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'membership.remove'", [DOUBLE_SUBMIT_MS + 1000]);
    const later = await send(removal, 'leave-once');
    expect([later.status, later.headers['idempotent-replayed'], later.body]).toEqual([200, 'true', first.body]);
    // Another key, no key, the key on another member's removal or on a read: the 404 of a workspace they are not in.
    expect((await send(removal, 'another-key')).status).toBe(404);
    expect((await send(removal)).status).toBe(404);
    expect((await send(`/api/v1/t/alpha/members/${memberId('alice')}/remove`, 'leave-once')).status).toBe(404);
    expect((await request(app).get('/api/v1/t/alpha/members').set(bearer(token)).set('Idempotency-Key', 'leave-once')).status).toBe(404);
    // Another body is another request (this operation takes none): refused, not replayed.
    const otherBody = await send(removal, 'leave-once').send({ role_id: 1 });
    expect([otherBody.status, otherBody.headers['idempotent-replayed']]).toEqual([400, undefined]);
    expect(auditOf(t.platform, 'membership.remove').filter((e) => e.target_id === leaver.id)).toHaveLength(1);
  });

  it("revokes the removed member's tokens limited to the workspace for good, audited, and leaves their other tokens and another workspace's alone", async () => {
    const charlie = await makeTenant(t.platform, 'charlie-removal');
    await setRole(t.platform, users.vera, charlie, 'viewer');
    const limited = personalToken(t.platform, users.vera, { tenant: alpha, scopes: ['content.view'] });
    const everywhere = personalToken(t.platform, users.vera, { scopes: ['content.view'] });
    const elsewhere = personalToken(t.platform, users.vera, { tenant: charlie, scopes: ['content.view'] });
    const bravoToken = personalToken(t.platform, users.bart, { tenant: bravo, scopes: ['content.view'] });
    const items = (token: string, slug = 'alpha') => request(app).get(`/api/v1/t/${slug}/items`).set(bearer(token));
    expect((await items(limited)).status).toBe(200);

    expect((await postForm(agents.adam, `/t/alpha/members/${memberId('vera')}/remove`, { confirmed: 'yes' })).status).toBe(303);
    const revoked = auditOf(t.platform, 'api_token.revoke');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ tenant_id: alpha.id, actor_user_id: users.adam.id, target_id: tokenIdOf(limited) });
    // Invited again: the token limited to the workspace stays revoked; the others work as before.
    const { token } = invite(t.platform, alpha, users.vera.email, 'viewer', users.alice.id);
    await acceptInvitation(t.platform, token, { user: toSessionUser(users.vera) });
    expect((await items(limited)).status).toBe(401);
    expect((await items(everywhere)).status).toBe(200);
    expect((await items(elsewhere, 'charlie-removal')).status).toBe(200);
    expect((await items(bravoToken, 'bravo')).status).toBe(200);
  });

  it('keeps the last owner: neither removed nor demoted (409 with a reason), and nothing changes', async () => {
    const demote = await postForm(agents.alice, `/t/alpha/members/${memberId('alice')}/role`, { role_id: String(roleId(t.platform, 'admin')) });
    expect(demote.status).toBe(409);
    expect(demote.text).toContain('last owner');
    const remove = await postForm(agents.alice, `/t/alpha/members/${memberId('alice')}/remove`, { confirmed: 'yes' });
    expect(remove.status).toBe(409);
    expect(remove.text).toContain('Transfer ownership');
    expect(roleOf('alice')).toBe('owner');
  });

  it('offers the last owner no button to leave or change role, only the reason, and offers them again once a second owner exists', async () => {
    const leaveForm = `action="/t/alpha/members/${memberId('alice')}/remove"`;
    const roleForm = `action="/t/alpha/members/${memberId('alice')}/role"`;
    const alone = await agents.alice.get('/t/alpha/members');
    expect(alone.text).not.toContain(leaveForm);
    expect(alone.text).not.toContain(roleForm);
    expect(alone.text).toContain('You are the last owner of alpha. Make another member an owner before you leave.');
    expect(alone.text).toContain(`action="/t/alpha/members/${memberId('vera')}/remove"`);
    await setRole(t.platform, users.adam, alpha, 'owner');
    const two = await agents.alice.get('/t/alpha/members');
    expect(two.text).toContain(leaveForm);
    expect(two.text).toContain(roleForm);
    expect(two.text).not.toContain('You are the last owner');
  });

  describe('with a second owner whose account is disabled (who can manage nothing)', () => {
    beforeEach(async () => {
      await setRole(t.platform, users.adam, alpha, 'owner');
      t.platform.users.setStatus(users.adam.id, 'disabled');
    });
    afterEach(() => {
      t.platform.users.setStatus(users.adam.id, 'active');
      t.platform.users.setStatus(users.vera.id, 'active');
    });

    it('keeps the active owner as the last one: no leave or role form, and leaving, removal and demotion are refused with nothing changed', async () => {
      const page = await agents.alice.get('/t/alpha/members');
      expect(page.text).not.toContain(`action="/t/alpha/members/${memberId('alice')}/remove"`);
      expect(page.text).toContain('You are the last owner of alpha. Make another member an owner before you leave.');
      const remove = await postForm(agents.alice, `/t/alpha/members/${memberId('alice')}/remove`, { confirmed: 'yes' });
      expect(remove.status).toBe(409);
      const demote = await postForm(agents.alice, `/t/alpha/members/${memberId('alice')}/role`, { role_id: String(roleId(t.platform, 'admin')) });
      expect(demote.status).toBe(409);
      const leave = await postForm(agents.alice, '/account/leave', { confirmed: 'yes', tenant_id: alpha.id });
      expect(leave.status).toBe(409);
      expect(roleOf('alice')).toBe('owner');
    });

    it('lets the active owner remove the disabled one', async () => {
      expect((await agents.alice.get('/t/alpha/members')).text).toContain(`action="/t/alpha/members/${memberId('adam')}/remove"`);
      expect((await postForm(agents.alice, `/t/alpha/members/${memberId('adam')}/remove`, { confirmed: 'yes' })).status).toBe(303);
      expect(roleOf('adam')).toBeUndefined();
    });

    it('offers no "Make owner" to a disabled account and refuses a transfer to one', async () => {
      t.platform.users.setStatus(users.vera.id, 'disabled');
      expect((await agents.alice.get('/t/alpha/members')).text).not.toContain(`/members/${memberId('vera')}/transfer-ownership`);
      const refused = await postForm(agents.alice, `/t/alpha/members/${memberId('vera')}/transfer-ownership`, { confirmed: 'yes' });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('account is disabled');
      expect(roleOf('vera')).toBe('viewer');
      expect(roleOf('alice')).toBe('owner');
    });
  });

  it('lets one of two owners step down to another role', async () => {
    await setRole(t.platform, users.adam, alpha, 'owner');
    expect((await postForm(agents.alice, `/t/alpha/members/${memberId('alice')}/role`, { role_id: String(roleId(t.platform, 'editor')) })).status).toBe(303);
    expect(roleOf('alice')).toBe('editor');
  });

  it('transfers ownership: the member becomes owner, the old owner admin; all recorded', async () => {
    const res = await postForm(agents.alice, `/t/alpha/members/${memberId('vera')}/transfer-ownership`, { confirmed: 'yes' });
    expect(res.status).toBe(303);
    expect(roleOf('vera')).toBe('owner');
    expect(roleOf('alice')).toBe('admin');
    expect((await agents.alice.get('/t/alpha/roles')).status).toBe(200);
    expect(auditOf(t.platform, 'ownership.transfer').pop()).toMatchObject({ actor_user_id: users.alice.id, target_id: users.vera.id, tenant_id: alpha.id });
    // The new owner can now transfer it back; the former owner, now admin, cannot.
    expect((await postForm(agents.alice, `/t/alpha/members/${memberId('vera')}/transfer-ownership`, { confirmed: 'yes' })).status).toBe(403);
    expect(roleOf('vera')).toBe('owner');
  });

  it('does not let an admin grant the owner role, nor demote or remove an owner', async () => {
    const owner = String(roleId(t.platform, 'owner'));
    const grant = await postForm(agents.adam, `/t/alpha/members/${memberId('vera')}/role`, { role_id: owner });
    expect(grant.status).toBe(403);
    expect((await postForm(agents.adam, `/t/alpha/members/${memberId('adam')}/role`, { role_id: owner })).status).toBe(403);
    expect((await postForm(agents.adam, `/t/alpha/members/${memberId('alice')}/role`, { role_id: String(roleId(t.platform, 'viewer')) })).status).toBe(403);
    expect((await postForm(agents.adam, `/t/alpha/members/${memberId('alice')}/remove`, { confirmed: 'yes' })).status).toBe(403);
    expect([roleOf('vera'), roleOf('adam'), roleOf('alice')]).toEqual(['viewer', 'admin', 'owner']);
    const page = await agents.adam.get('/t/alpha/members');
    expect(page.text).not.toContain(`/members/${memberId('alice')}/remove`);
    expect(page.text).not.toContain(`<option value="${owner}"`);
  });

  it.each([
    ['no role', {}],
    ['an empty role', { role_id: '' }],
    ['a role that is not a number', { role_id: 'owner' }],
    ['a role that does not exist', { role_id: '987654' }],
  ])('answers a role change with %s with a 400 naming the role field, changing nothing', async (_label, body) => {
    const res = await postForm(agents.alice, `/t/alpha/members/${memberId('vera')}/role`, body as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.text).toContain('<strong>Role</strong>');
    expect(roleOf('vera')).toBe('viewer');
  });

  it.each([
    ['a hex role id', '0x2'],
    ['an exponent', '2e0'],
    ['a signed id', '+2'],
    ['a padded id', ' 2'],
  ])('reads %s as no role id (400), never as role 2', async (_label, roleIdText) => {
    const res = await postForm(agents.alice, `/t/alpha/members/${memberId('vera')}/role`, { role_id: roleIdText });
    expect(res.status).toBe(400);
    expect(roleOf('vera')).toBe('viewer');
  });

  it('refuses JSON true as a role id (it is not role 1)', async () => {
    const token = await csrfFrom(agents.alice, '/t/alpha/members');
    const res = await agents.alice
      .post(`/t/alpha/members/${memberId('vera')}/role`)
      .set('x-csrf-token', token)
      .send({ role_id: true });
    expect(res.status).toBe(400);
    expect(roleOf('vera')).toBe('viewer');
  });

  it.each(['0x10', '1e1', '+5', '05'])('answers 404 for the member id %s, which only looks like a number', async (id) => {
    expect((await postForm(agents.alice, `/t/alpha/members/${id}/remove`, { confirmed: 'yes' })).status).toBe(404);
  });

  it('answers 404 for a member id that is not a number or not a member', async () => {
    expect((await postForm(agents.alice, '/t/alpha/members/abc/remove', { confirmed: 'yes' })).status).toBe(404);
    expect((await postForm(agents.alice, '/t/alpha/members/999999/role', { role_id: String(roleId(t.platform, 'viewer')) })).status).toBe(404);
  });

  describe('across tenants', () => {
    const bravoUnchanged = () => expect([roleOf('bob', bravo), roleOf('bart', bravo)]).toEqual(['owner', 'viewer']);

    it.each([
      ['the member list by slug', 'GET', '/t/bravo/members'],
      ['a role change by slug', 'POST', '/t/bravo/members/BART/role'],
      ["a role change by id under A's URL", 'POST', '/t/alpha/members/BART/role'],
      ['a removal by slug', 'POST', '/t/bravo/members/BART/remove'],
      ["a removal by id under A's URL", 'POST', '/t/alpha/members/BART/remove'],
      ["an ownership transfer by id under A's URL", 'POST', '/t/alpha/members/BART/transfer-ownership'],
      ["an ownership transfer to B's owner under A's URL", 'POST', '/t/alpha/members/BOB/transfer-ownership'],
    ])('answers 404 to the owner of A reaching %s, and changes nothing', async (_label, method, template) => {
      const path = template.replace('BART', String(memberId('bart', bravo))).replace('BOB', String(memberId('bob', bravo)));
      const res = method === 'GET' ? await agents.alice.get(path) : await postForm(agents.alice, path, { role_id: String(roleId(t.platform, 'owner')) });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('bart@example.com');
      bravoUnchanged();
      expect(roleOf('alice')).toBe('owner');
    });

    it("refuses B's custom role named in A's role form with a 400, changing nothing", async () => {
      const foreign = makeCustomRole(t.platform, bravo, 'Bravo only', ['content.view']);
      const res = await postForm(agents.alice, `/t/alpha/members/${memberId('vera')}/role`, { role_id: String(foreign), tenant_id: bravo.id });
      expect(res.status).toBe(400);
      expect(res.text).toContain('<strong>Role</strong>');
      expect(roleOf('vera')).toBe('viewer');
      bravoUnchanged();
    });
  });
});

describe("the team's dates, in the workspace's time zone", () => {
  let t: TestPlatform;
  afterAll(() => t.cleanup());

  it('shows the day a member joined and when an invitation expires as the workspace reads its clock, like its other pages', async () => {
    t = await createTestPlatform();
    const { tenant: honolulu, owner: olive, agent } = await honoluluWorkspace(t);
    const instant = HONOLULU_EVE;
    t.platform.db
      .connection()
      .prepare('update memberships set created_at = ? where id = ?')
      .run(instant, membershipOf(t.platform, olive, honolulu).membership_id);
    const invitation = invite(t.platform, honolulu, 'guest@example.com');
    t.platform.db
      .connection()
      .prepare('update invitations set expires_at = ? where id = ?')
      .run(instant + 86_400_000, invitation.id);

    const members = await agent.get('/t/honolulu/members');
    expect(members.text).toContain('<td>2030-12-31</td>');
    expect(members.text).not.toContain('2031-01-01');
    const invitations = await agent.get('/t/honolulu/invitations');
    expect(invitations.text).toContain('<td>2031-01-01 19:00 GMT-10</td>');
  });
});

describe('a member removed and invited again', () => {
  let t: TestPlatform;
  afterAll(() => t.cleanup());

  it('is a member since the day they came back, not since their first membership', async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    const crew = await makeTenant(t.platform, 'comeback');
    const owner = await makeUser(t.platform, { email: 'olive@example.com' });
    const vera = await makeUser(t.platform, { email: 'vera@example.com' });
    await setRole(t.platform, owner, crew, 'owner');
    await setRole(t.platform, vera, crew, 'viewer');
    const first = membershipOf(t.platform, vera, crew).membership_id;
    t.platform.db
      .connection()
      .prepare('update memberships set created_at = ? where id = ?')
      .run(Date.UTC(2020, 0, 15, 12), first);
    const agent = await signIn(app, owner.email);
    expect((await postForm(agent, `/t/comeback/members/${first}/remove`, { confirmed: 'yes' }, '/t/comeback/members')).status).toBe(303);

    const cameBack = Date.now();
    const { token } = invite(t.platform, crew, vera.email, 'editor', owner.id);
    await acceptInvitation(t.platform, token, { user: toSessionUser(vera) });

    expect(membershipOf(t.platform, vera, crew).created_at).toBeGreaterThanOrEqual(cameBack);
    expect((await agent.get('/t/comeback/members')).text).not.toContain('2020-01-15');
    const listed = await request(app)
      .get('/api/v1/t/comeback/members')
      .set(bearer(personalToken(t.platform, owner)));
    const joined = listed.body.data.find((m: { user: { id: string } }) => m.user.id === vera.id).joined_at;
    expect(Date.parse(joined)).toBeGreaterThanOrEqual(cameBack);
  });
});
