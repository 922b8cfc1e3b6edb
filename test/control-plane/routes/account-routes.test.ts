import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { csrfFrom, type Agent } from '../../support/http-agent';
import { sessionRef } from '../../../control-plane/auth/session-ref';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { bearer, personalToken } from '../../support/api-tokens';
import { hashApiToken } from '../../../control-plane/api-tokens/token-secret';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

const BROWSER = 'Mozilla/5.0 (TestBrowser 1.0)';
const NEW_PASSWORD = 'a brand new passphrase';

describe('the account page', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let alice: UserRecord;
  let bob: UserRecord;
  let agent: Agent;

  /** Posts an account form from a browser with a known user agent. */
  async function submit(who: Agent, path: string, body: Record<string, string>) {
    const _csrf = await csrfFrom(who, '/account');
    return who
      .post(path)
      .set('User-Agent', BROWSER)
      .type('form')
      .send({ ...body, _csrf });
  }

  async function signInWith(email: string, password = TEST_PASSWORD, userAgent = BROWSER): Promise<Agent> {
    const browser = request.agent(app);
    const _csrf = await csrfFrom(browser, '/login');
    const res = await browser.post('/login').set('User-Agent', userAgent).type('form').send({ email, password, _csrf });
    if (res.status !== 302) throw new Error(`sign-in failed: ${res.status}`);
    return browser;
  }

  const auditOf = (action: string) =>
    t.platform.db.connection().prepare('select * from audit_events where action = ? order by id').all(action) as Array<Record<string, string | number | null>>;
  const sessionCount = (userId: string) =>
    (t.platform.db.connection().prepare('select count(*) as n from sessions where user_id = ?').get(userId) as { n: number }).n;
  const fieldsOf = (text: string) => [...text.matchAll(/<li><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha', 'Alpha Studio');
    bravo = await makeTenant(t.platform, 'bravo', 'Bravo Works');
    alice = await makeUser(t.platform, { email: 'alice@example.com', name: 'Alice' });
    bob = await makeUser(t.platform, { email: 'bob@example.com', name: 'Bob' });
    await addMember(t.platform, alice, alpha, 'owner');
    await addMember(t.platform, bob, bravo, 'owner');
    agent = await signInWith(alice.email);
  });
  afterEach(() => t.cleanup());

  it('sends a visitor who is not signed in to the sign-in page', async () => {
    const res = await request(app).get('/account');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Faccount');
  });

  it('shows the name, the workspaces and the active sessions, marking this one, without any session id', async () => {
    await signInWith(alice.email, TEST_PASSWORD, 'OtherBrowser/2.0');
    const res = await agent.get('/account');
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="Alice"');
    expect(res.text).toContain('Alpha Studio');
    expect(res.text).not.toContain('Bravo Works');
    expect(res.text).toContain(BROWSER);
    expect(res.text).toContain('OtherBrowser/2.0');
    expect(res.text).toContain('127.0.0.1');
    expect(res.text.match(/this session/g)).toHaveLength(1);
    const sids = t.platform.db.connection().prepare('select sid, last_seen_at from sessions where user_id = ?').all(alice.id) as Array<{
      sid: string;
      last_seen_at: number;
    }>;
    expect(sids).toHaveLength(2);
    for (const { sid, last_seen_at: lastSeen } of sids) {
      expect(res.text).toContain(`<td>${new Date(lastSeen).toISOString().slice(0, 16).replace('T', ' ')} UTC</td>`);
      expect(res.text).not.toContain(sid);
      expect(res.text).toContain(sessionRef(t.config.sessionSecret, sid));
    }
  });

  it('links the account page from the header', async () => {
    expect((await agent.get('/tenants')).text).toContain('href="/account"');
  });

  describe('changing the name', () => {
    it('saves it and records who, before, after, IP and user agent', async () => {
      const res = await submit(agent, '/account/name', { name: '  Alice Liddell ' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account?done=name');
      expect(t.platform.users.findById(alice.id)?.name).toBe('Alice Liddell');
      expect((await agent.get('/account?done=name')).text).toContain('Your name was saved.');
      const [entry] = auditOf('account.name_change');
      expect(entry).toMatchObject({ actor_user_id: alice.id, target_type: 'user', target_id: alice.id, ip: '127.0.0.1', user_agent: BROWSER });
      expect(JSON.parse(String(entry.before))).toEqual({ name: 'Alice' });
      expect(JSON.parse(String(entry.after))).toEqual({ name: 'Alice Liddell' });
    });

    it.each([
      ['an empty name', ''],
      ['a name with a control character', 'Al\u0007ice'],
      ['a name of 201 characters', 'x'.repeat(201)],
    ])('refuses %s with 400 naming the field, and writes nothing', async (_label, name) => {
      const res = await submit(agent, '/account/name', { name });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.text)).toEqual(['Name']);
      expect(t.platform.users.findById(alice.id)?.name).toBe('Alice');
      expect(auditOf('account.name_change')).toEqual([]);
    });
  });

  describe('changing the password', () => {
    const change = (who: Agent, overrides: Record<string, string> = {}) =>
      submit(who, '/account/password', { current_password: TEST_PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD, ...overrides });

    it('needs the current password, signs out every other session and keeps this one', async () => {
      const laptop = await signInWith(alice.email);
      const bobs = await signInWith(bob.email);
      expect(sessionCount(alice.id)).toBe(2);
      const res = await change(agent);
      expect(res.status).toBe(303);
      expect(sessionCount(alice.id)).toBe(1);
      expect((await agent.get('/account')).status).toBe(200);
      const gone = await laptop.get('/account');
      expect(gone.status).toBe(302);
      expect(gone.headers.location).toMatch(/^\/login/);
      expect((await bobs.get('/account')).status).toBe(200);
      await expect(signInWith(alice.email, TEST_PASSWORD)).rejects.toThrow('sign-in failed: 401');
      await expect(signInWith(alice.email, NEW_PASSWORD)).resolves.toBeDefined();
    });

    it('records the change without any password or hash', async () => {
      const before = t.platform.users.findById(alice.id)?.password_hash ?? '';
      await change(agent);
      const after = t.platform.users.findById(alice.id)?.password_hash ?? '';
      const [entry] = auditOf('account.password_change');
      expect(entry).toMatchObject({ actor_user_id: alice.id, target_id: alice.id, ip: '127.0.0.1', user_agent: BROWSER });
      expect(JSON.parse(String(entry.after))).toEqual({ otherSessionsRevoked: 0 });
      const row = JSON.stringify(entry);
      for (const secret of [TEST_PASSWORD, NEW_PASSWORD, before, after]) expect(row).not.toContain(secret);
    });

    it.each([
      ['a wrong current password', { current_password: 'not my password at all' }, 'Current password'],
      ['a missing current password', { current_password: '' }, 'Current password'],
      ['a new password shorter than 12 characters', { new_password: 'short', new_password_confirm: 'short' }, 'New password'],
      ['a confirmation that differs', { new_password_confirm: 'something else entirely' }, 'New password again'],
      ['a new password equal to the current one', { new_password: TEST_PASSWORD, new_password_confirm: TEST_PASSWORD }, 'New password'],
    ])('refuses %s with 400 naming the field, and changes nothing', async (_label, overrides, field) => {
      const laptop = await signInWith(alice.email);
      const hash = t.platform.users.findById(alice.id)?.password_hash;
      const res = await change(agent, overrides);
      expect(res.status).toBe(400);
      expect(fieldsOf(res.text)).toEqual([field]);
      expect(res.text).not.toContain(NEW_PASSWORD);
      expect(t.platform.users.findById(alice.id)?.password_hash).toBe(hash);
      expect((await laptop.get('/account')).status).toBe(200);
      expect(auditOf('account.password_change')).toEqual([]);
    });

    it('takes only the first of two changes sent at once: the other is refused, and the password that works is the one reported saved', async () => {
      const laptop = await signInWith(alice.email);
      const [one, two] = await Promise.all([
        change(agent, { new_password: 'new password number one', new_password_confirm: 'new password number one' }),
        change(laptop, { new_password: 'new password number two', new_password_confirm: 'new password number two' }),
      ]);
      const statuses = [one.status, two.status].sort();
      expect(statuses[0]).toBe(303);
      expect(statuses[1]).not.toBe(303);
      const saved = one.status === 303 ? 'new password number one' : 'new password number two';
      const lost = saved.endsWith('one') ? 'new password number two' : 'new password number one';
      expect(auditOf('account.password_change')).toHaveLength(1);
      await expect(signInWith(alice.email, saved)).resolves.toBeDefined();
      await expect(signInWith(alice.email, lost)).rejects.toThrow('sign-in failed: 401');
    });

    it('past its limit of guesses shows the account page again with the reason and a 429, no password typed shown back, nothing changed', async () => {
      const hash = t.platform.users.findById(alice.id)?.password_hash;
      for (let i = 0; i < 10; i++) expect((await change(agent, { current_password: `guess number ${i}` })).status).toBe(400);
      const res = await change(agent, { current_password: 'guess number 10' });
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.text).toContain('Too many attempts.');
      expect(res.text).toContain('action="/account/password"');
      for (const typed of ['guess number 10', NEW_PASSWORD]) expect(res.text).not.toContain(typed);
      expect(t.platform.users.findById(alice.id)?.password_hash).toBe(hash);
      expect(auditOf('account.password_change')).toEqual([]);
      // The change of address asks for the password too, and shares the limit.
      const email = await submit(agent, '/account/email', { new_email: 'alice.new@example.com', password: 'guess number 11' });
      expect(email.status).toBe(429);
      expect(email.text).toContain('action="/account/email"');
      expect(email.text).toContain('value="alice.new@example.com"');
    });

    it('records a wrong current password as a failed attempt', async () => {
      await change(agent, { current_password: 'not my password at all' });
      expect(auditOf('account.password_change_failed')).toMatchObject([{ actor_user_id: alice.id, ip: '127.0.0.1', user_agent: BROWSER }]);
    });
  });

  describe('sessions', () => {
    const refsOf = (userId: string) =>
      (t.platform.db.connection().prepare('select sid from sessions where user_id = ?').all(userId) as Array<{ sid: string }>).map(({ sid }) => ({
        sid,
        ref: sessionRef(t.config.sessionSecret, sid),
      }));

    it("revokes another of the user's own sessions by its reference, and records it without the session id", async () => {
      const laptop = await signInWith(alice.email, TEST_PASSWORD, 'Laptop/1.0');
      const laptopSid = (t.platform.db.connection().prepare("select sid from sessions where user_agent = 'Laptop/1.0'").get() as { sid: string }).sid;
      const ref = sessionRef(t.config.sessionSecret, laptopSid);
      const res = await submit(agent, '/account/sessions/revoke', { session: ref });
      expect(res.status).toBe(303);
      expect((await laptop.get('/account')).status).toBe(302);
      expect((await agent.get('/account')).status).toBe(200);
      const [entry] = auditOf('account.session_revoke');
      expect(entry).toMatchObject({ actor_user_id: alice.id, target_type: 'session', target_id: ref, ip: '127.0.0.1', user_agent: BROWSER });
      expect(JSON.stringify(entry)).not.toContain(laptopSid);
      expect(JSON.parse(String(entry.before))).toMatchObject({ userAgent: 'Laptop/1.0' });
    });

    it('signs out when the session revoked is this one', async () => {
      const [{ ref }] = refsOf(alice.id);
      const res = await submit(agent, '/account/sessions/revoke', { session: ref });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login');
      expect(sessionCount(alice.id)).toBe(0);
    });

    it('signs out every other session at once', async () => {
      await signInWith(alice.email);
      await signInWith(alice.email);
      const res = await submit(agent, '/account/sessions/revoke-others', {});
      expect(res.status).toBe(303);
      expect(sessionCount(alice.id)).toBe(1);
      expect(auditOf('account.sessions_revoke_others')).toMatchObject([{ actor_user_id: alice.id, user_agent: BROWSER }]);
    });

    it.each([
      ['its reference', 'ref'],
      ['its raw session id', 'sid'],
    ])("answers 404 to revoking another user's session by %s, and changes nothing", async (_label, key) => {
      const bobs = await signInWith(bob.email);
      const [bobSession] = refsOf(bob.id);
      const res = await submit(agent, '/account/sessions/revoke', { session: key === 'ref' ? bobSession.ref : bobSession.sid });
      expect(res.status).toBe(404);
      expect(sessionCount(bob.id)).toBe(1);
      expect((await bobs.get('/account')).status).toBe(200);
      expect(auditOf('account.session_revoke')).toEqual([]);
    });

    it.each([
      ['an empty reference', ''],
      ['a reference with odd characters', '../../etc/passwd'],
    ])('refuses %s with 400 naming the field', async (_label, session) => {
      const res = await submit(agent, '/account/sessions/revoke', { session });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.text)).toEqual(['Session']);
      expect(sessionCount(alice.id)).toBe(1);
    });
  });

  describe('the default workspace', () => {
    beforeEach(() => addMember(t.platform, alice, bravo, 'viewer'));

    it("can be chosen among the user's workspaces, and cleared, each change recorded", async () => {
      expect((await submit(agent, '/account/default-tenant', { default_tenant_id: bravo.id })).status).toBe(303);
      expect(t.platform.users.findById(alice.id)?.default_tenant_id).toBe(bravo.id);
      expect((await agent.get('/account')).text).toMatch(new RegExp(`value="${bravo.id}" selected`));
      expect((await submit(agent, '/account/default-tenant', { default_tenant_id: '' })).status).toBe(303);
      expect(t.platform.users.findById(alice.id)?.default_tenant_id).toBeNull();
      const entries = auditOf('account.default_tenant_change');
      expect(entries.map((e) => [JSON.parse(String(e.before)), JSON.parse(String(e.after))])).toEqual([
        [{ defaultTenantId: null }, { defaultTenantId: bravo.id }],
        [{ defaultTenantId: bravo.id }, { defaultTenantId: null }],
      ]);
      expect(entries[0]).toMatchObject({ actor_user_id: alice.id, ip: '127.0.0.1', user_agent: BROWSER });
    });

    it.each([
      ['a workspace the user is not a member of', 'foreign'],
      ['a malformed id', 'not-an-id'],
      ['a slug in place of the id', 'alpha'],
    ])('refuses %s with 400 naming the field, and changes nothing', async (_label, value) => {
      const foreign = await makeTenant(t.platform, 'charlie');
      const res = await submit(agent, '/account/default-tenant', { default_tenant_id: value === 'foreign' ? foreign.id : value });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.text)).toEqual(['Default workspace']);
      expect(t.platform.users.findById(alice.id)?.default_tenant_id).toBeNull();
      expect(auditOf('account.default_tenant_change')).toEqual([]);
    });
  });

  describe('leaving a workspace', () => {
    it("removes the membership, closes the workspace to the user and records it in that workspace's trail", async () => {
      await addMember(t.platform, alice, bravo, 'viewer');
      await t.platform.users.update(alice.id, { default_tenant_id: bravo.id });
      expect((await agent.get('/t/bravo')).status).toBe(200);
      const res = await submit(agent, '/account/leave', { confirmed: 'yes', tenant_id: bravo.id });
      expect(res.status).toBe(303);
      expect((await agent.get('/t/bravo')).status).toBe(404);
      expect(t.platform.memberships.findActive(alice.id, bravo.id)).toBeUndefined();
      expect(t.platform.users.findById(alice.id)).toMatchObject({ default_tenant_id: null, last_tenant_id: null });
      const [entry] = auditOf('membership.leave');
      expect(entry).toMatchObject({ actor_user_id: alice.id, tenant_id: bravo.id, target_id: alice.id, ip: '127.0.0.1', user_agent: BROWSER });
      expect(JSON.parse(String(entry.before))).toEqual({ role: 'viewer', status: 'active' });
    });

    it("revokes the user's tokens limited to the workspace they leave, audited, so rejoining brings none back, and no other token", async () => {
      await addMember(t.platform, alice, bravo, 'viewer');
      const limited = personalToken(t.platform, alice, { tenant: bravo, scopes: ['content.view'] });
      const inAlpha = personalToken(t.platform, alice, { tenant: alpha, scopes: ['content.view'] });
      const bobs = personalToken(t.platform, bob, { tenant: bravo, scopes: ['content.view'] });
      expect((await submit(agent, '/account/leave', { confirmed: 'yes', tenant_id: bravo.id })).status).toBe(303);
      const [entry] = auditOf('api_token.revoke');
      expect(entry).toMatchObject({ actor_user_id: alice.id, tenant_id: bravo.id, target_id: t.platform.apiTokens.findByHash(hashApiToken(limited))?.id });
      expect(JSON.parse(String(entry.after))).toEqual({ revoked: true, reason: 'member left' });
      await addMember(t.platform, alice, bravo, 'viewer');
      const items = (token: string, slug: string) => request(app).get(`/api/v1/t/${slug}/items`).set(bearer(token));
      expect((await items(limited, 'bravo')).status).toBe(401);
      expect((await items(inAlpha, 'alpha')).status).toBe(200);
      expect((await items(bobs, 'bravo')).status).toBe(200);
      expect(auditOf('api_token.revoke')).toHaveLength(1);
    });

    it('refuses the last owner with 409 and a clear message, and changes nothing', async () => {
      const res = await submit(agent, '/account/leave', { confirmed: 'yes', tenant_id: alpha.id });
      expect(res.status).toBe(409);
      expect(res.text).toContain('You are the last owner of Alpha Studio');
      expect(t.platform.memberships.findActive(alice.id, alpha.id)).toBeDefined();
      expect(auditOf('membership.leave')).toEqual([]);
    });

    it('offers the last owner no Leave button, only the reason, and offers it again once a second owner exists', async () => {
      const leaveAlpha = `name="tenant_id" value="${alpha.id}"`;
      const alone = await agent.get('/account');
      expect(alone.text).not.toContain(leaveAlpha);
      expect(alone.text).toContain('You are the last owner of Alpha Studio. Make another member an owner before you leave.');
      await addMember(t.platform, await makeUser(t.platform), alpha, 'owner');
      const two = await agent.get('/account');
      expect(two.text).toContain(leaveAlpha);
      expect(two.text).not.toContain('You are the last owner');
    });

    it('lets an owner leave when another owner remains', async () => {
      const carol = await makeUser(t.platform);
      await addMember(t.platform, carol, alpha, 'owner');
      expect((await submit(agent, '/account/leave', { confirmed: 'yes', tenant_id: alpha.id })).status).toBe(303);
      expect(t.platform.memberships.findActive(alice.id, alpha.id)).toBeUndefined();
      expect(t.platform.memberships.findActive(carol.id, alpha.id)).toBeDefined();
    });

    it('answers a leave sent twice, after or at once, as done both times, leaving once and giving no access back', async () => {
      await addMember(t.platform, alice, bravo, 'viewer');
      const leave = () => submit(agent, '/account/leave', { confirmed: 'yes', tenant_id: bravo.id });
      const first = await leave();
      const again = await leave();
      expect([again.status, again.headers.location]).toEqual([303, first.headers.location]);
      expect((await agent.get(again.headers.location)).text).toContain('You left the workspace.');
      expect((await agent.get('/t/bravo')).status).toBe(404);

      await addMember(t.platform, alice, bravo, 'viewer');
      expect((await Promise.all([leave(), leave()])).map((r) => [r.status, r.headers.location])).toEqual([
        [303, first.headers.location],
        [303, first.headers.location],
      ]);
      expect(auditOf('membership.leave')).toHaveLength(2);
      expect(t.platform.memberships.findActive(alice.id, bravo.id)).toBeUndefined();
      expect((await agent.get('/t/bravo')).status).toBe(404);
    });

    it('answers 404 to a leave sent again long after, and to leaving a workspace another member just left', async () => {
      await addMember(t.platform, alice, bravo, 'viewer');
      const bobAgent = await signInWith(bob.email);
      await addMember(t.platform, bob, alpha, 'viewer');
      expect((await submit(agent, '/account/leave', { confirmed: 'yes', tenant_id: bravo.id })).status).toBe(303);
      expect((await submit(bobAgent, '/account/leave', { confirmed: 'yes', tenant_id: alpha.id })).status).toBe(303);
      // Alice never was in Charlie; Bob left Alpha, not Bravo: neither finds a leave of theirs there.
      const charlie = await makeTenant(t.platform, 'charlie');
      expect((await submit(agent, '/account/leave', { confirmed: 'yes', tenant_id: charlie.id })).status).toBe(404);
      t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'membership.leave'", [DOUBLE_SUBMIT_MS + 1000]);
      expect((await submit(agent, '/account/leave', { confirmed: 'yes', tenant_id: bravo.id })).status).toBe(404);
      expect(auditOf('membership.leave')).toHaveLength(2);
      expect(t.platform.memberships.findActive(bob.id, bravo.id)).toBeDefined();
    });

    it('answers 404 to leaving a workspace the user is not a member of, and changes nothing', async () => {
      const res = await submit(agent, '/account/leave', { confirmed: 'yes', tenant_id: bravo.id });
      expect(res.status).toBe(404);
      expect(t.platform.memberships.findActive(bob.id, bravo.id)).toBeDefined();
      expect(auditOf('membership.leave')).toEqual([]);
    });

    it('refuses a malformed workspace id with 400 naming the field', async () => {
      const res = await submit(agent, '/account/leave', { confirmed: 'yes', tenant_id: 'bravo' });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.text)).toEqual(['Workspace']);
    });
  });

  it('refuses every account form without a CSRF token', async () => {
    for (const path of [
      '/account/name',
      '/account/password',
      '/account/default-tenant',
      '/account/sessions/revoke',
      '/account/sessions/revoke-others',
      '/account/leave',
    ]) {
      const res = await agent.post(path).type('form').send({ name: 'Mallory', default_tenant_id: '', tenant_id: alpha.id });
      expect(res.status).toBe(403);
    }
    expect(t.platform.users.findById(alice.id)?.name).toBe('Alice');
    expect(sessionCount(alice.id)).toBe(1);
  });
});
