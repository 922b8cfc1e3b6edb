import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, signIn, postForm, type Agent } from '../../support/http-agent';
import { hashApiToken } from '../../../control-plane/api-tokens/token-secret';
import { setCookiesOf } from '../../support/host-browser';
import { auditOf, membershipOf, setRole } from '../../support/team';
import { parseCsv } from '../../support/audit-events';
import { bearer, personalToken, serviceToken } from '../../support/api-tokens';
import { removeMember } from '../../../control-plane/memberships/remove-member';
import { changeUserStatus } from '../../../control-plane/users/change-user-status';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import { createLogger } from '../../../core/logging/logger';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

const TOKEN_IN_PAGE = /<code class="token" id="new-token">(tnt_[A-Za-z0-9_-]{43})<\/code>/;

describe('API tokens', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let globex: TenantRecord;
  let owner: UserRecord;
  let editor: UserRecord;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await createTestPlatform({}, { logger: createLogger('info', { write: (line: string) => void logLines.push(line) }) });
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    globex = await makeTenant(t.platform, 'globex');
    owner = await makeUser(t.platform, { email: 'owner@acme.test', name: 'Olive Owner' });
    editor = await makeUser(t.platform, { email: 'editor@acme.test', name: 'Ed Editor' });
    await addMember(t.platform, owner, acme, 'owner');
    await addMember(t.platform, owner, globex, 'owner');
    await addMember(t.platform, editor, acme, 'editor');
  });
  afterAll(() => t.cleanup());

  describe('personal tokens', () => {
    it('is shown once on the account page, stored only as a hash, listed by its hint, and works as a bearer token without CSRF, session or cookie', async () => {
      const agent = await signIn(app, owner.email);
      const created = await postForm(agent, '/account/tokens', { name: 'Publishing script', scopes: 'content.view', expires_in_days: '30' }, '/account/tokens');
      // Shown on the page the form redirects to, once: a refresh shows it no more (and makes nothing).
      expect(created.status).toBe(303);
      const shown = await agent.get(created.headers.location);
      expect(shown.headers['cache-control']).toBe('no-store');
      const token = TOKEN_IN_PAGE.exec(shown.text)?.[1] as string;
      expect(token).toBeDefined();
      const row = t.platform.db.connection().prepare('select * from api_tokens where name = ?').get('Publishing script') as Record<string, unknown>;
      expect(JSON.stringify(row)).not.toContain(token.slice(4));
      expect(row).toMatchObject({ kind: 'personal', user_id: owner.id, hint: `tnt_…${token.slice(-4)}` });
      const list = await agent.get('/account/tokens');
      expect(list.text).not.toContain(token);
      expect(list.text).toContain(`tnt_…${token.slice(-4)}`);

      const sessionsBefore = t.platform.db.connection().prepare('select count(*) as n from sessions').get();
      const res = await request(app).get('/api/v1/t/acme/items').set(bearer(token));
      expect(res.status).toBe(200);
      expect(setCookiesOf(res)).toEqual([]);
      expect(t.platform.db.connection().prepare('select count(*) as n from sessions').get()).toEqual(sessionsBefore);
      expect(t.platform.apiTokens.findById(row.id as string)).toMatchObject({ last_used_at: expect.any(Number), last_used_ip: expect.any(String) });
      expect(logLines.some((line) => line.includes(token.slice(4)))).toBe(false);
      expect(auditOf(t.platform, 'api_token.create').at(-1)).toMatchObject({ actor_user_id: owner.id, target_id: row.id });
    });

    it('costs one control-plane statement per read once warm (the user; the token comes from its cache)', async () => {
      const token = personalToken(t.platform, owner);
      await request(app).get('/api/v1/t/acme/items?limit=1').set(bearer(token));
      const before = t.platform.db.statementCount;
      expect((await request(app).get('/api/v1/t/acme/items?limit=1').set(bearer(token))).status).toBe(200);
      expect(t.platform.db.statementCount - before).toBe(1);
    });

    it('needs no CSRF token for a POST, and gets none of the session stack', async () => {
      const token = personalToken(t.platform, owner);
      const res = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Origin', 'https://evil.example').send({ title: 'From a script' });
      expect(res.status).toBe(201);
      expect(setCookiesOf(res)).toEqual([]);
    });

    it('answers 401 problem+json to a malformed, unknown, revoked or expired token, and never falls back to a cookie sent beside it', async () => {
      const agent = await signIn(app, owner.email);
      const revoked = personalToken(t.platform, owner);
      const page = await agent.get('/account/tokens');
      const id = (
        t.platform.db
          .connection()
          .prepare('select id from api_tokens where hint = ?')
          .get(`tnt_…${revoked.slice(-4)}`) as { id: string }
      ).id;
      expect(page.status).toBe(200);
      // Revoking asks first; only the confirmed form revokes.
      expect((await postForm(agent, `/account/tokens/${id}/revoke`, {}, '/account/tokens')).text).toContain('Revoke the token');
      expect((await request(app).get('/api/v1/me').set(bearer(revoked))).status).toBe(200);
      expect((await postForm(agent, `/account/tokens/${id}/revoke`, { confirmed: 'yes' }, '/account/tokens')).status).toBe(303);
      const expired = personalToken(t.platform, owner, { expires: '7' });
      t.platform.db
        .connection()
        .prepare('update api_tokens set expires_at = ? where hint = ?')
        .run(Date.now() - 1, `tnt_…${expired.slice(-4)}`);
      // Its expiry moved into the past (a token past its time; the look-up compares the time on every request).
      for (const presented of ['Bearer tnt_short', `Bearer tnt_${'A'.repeat(43)}`, `Bearer ${revoked}`, `Bearer ${expired}`, 'Bearer', 'bearer  ']) {
        const res = await agent.get('/api/v1/t/acme/items').set('Authorization', presented);
        expect(res.status).toBe(401);
        expect(res.type).toBe('application/problem+json');
        expect(res.body).toMatchObject({ status: 401, code: 'invalid_token', instance: '/api/v1/t/acme/items' });
        expect(res.headers['www-authenticate']).toMatch(/Bearer/);
      }
      expect(auditOf(t.platform, 'api_token.revoke').at(-1)).toMatchObject({ actor_user_id: owner.id, target_id: id });
    });

    it("leaves another scheme to the session (a reverse proxy's Basic sign-in passed along)", async () => {
      const agent = await signIn(app, owner.email);
      expect((await agent.get('/api/v1/t/acme/items').set('Authorization', 'Basic dXNlcjpwYXNz')).status).toBe(200);
      const anonymous = await request(app).get('/api/v1/t/acme/items').set('Authorization', 'Basic dXNlcjpwYXNz');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('unauthenticated');
    });

    it('is refused with 403 session_only on the context API, which serves the pages on their session, and nothing is switched', async () => {
      const token = personalToken(t.platform, owner);
      const agent = await signIn(app, owner.email);
      const lastTenant = () => t.platform.users.findById(owner.id)?.last_tenant_id;
      const before = lastTenant();
      for (const [method, path] of [
        ['get', '/api/v1/context'],
        ['get', '/api/v1/tenants'],
        ['post', '/api/v1/context/switch'],
        ['post', `/api/v1/context/switch?tenant=${acme.slug}`],
      ] as const) {
        for (const client of [request(app), agent]) {
          const res = await client[method](path).set(bearer(token)).send({ tenant: globex.slug });
          // In the context API's own error shape, as its other errors.
          expect(res.status).toBe(403);
          expect(res.type).toBe('application/json');
          expect(res.body.error).toMatchObject({ code: 'session_only', message: expect.stringContaining('API token is not accepted') });
          expect(setCookiesOf(res)).toEqual([]);
        }
      }
      expect(lastTenant()).toBe(before);
      // The session itself, and the public pages under /api/v1, are unchanged by a bearer header.
      expect((await agent.get('/api/v1/context')).status).toBe(200);
      expect((await request(app).get('/api/v1/openapi.json').set(bearer(token))).status).toBe(200);
    });

    it('never reaches beyond its scopes: a read-only token reads but cannot create', async () => {
      const token = personalToken(t.platform, owner, { scopes: ['content.view'] });
      expect((await request(app).get('/api/v1/t/acme/items').set(bearer(token))).status).toBe(200);
      const res = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).send({ title: 'Nope' });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden', type: '/docs/api#problem-forbidden' });
    });

    it("never exceeds its creator's current role: a demoted member's token loses the power at once, a removed member's token stops at once", async () => {
      const member = await makeUser(t.platform);
      await addMember(t.platform, member, acme, 'admin');
      const token = personalToken(t.platform, member);
      expect((await request(app).get('/api/v1/t/acme/invitations').set(bearer(token))).status).toBe(200);

      await setRole(t.platform, member, acme, 'viewer');
      expect((await request(app).get('/api/v1/t/acme/invitations').set(bearer(token))).status).toBe(403);
      expect((await request(app).post('/api/v1/t/acme/items').set(bearer(token)).send({ title: 'x' })).status).toBe(403);
      expect((await request(app).get('/api/v1/t/acme/items').set(bearer(token))).status).toBe(200);

      const ownerGrant = t.platform.access.grant(owner.id, acme.id);
      removeMember(
        t.platform,
        { userId: owner.id, tenantId: acme.id, permissions: ownerGrant?.permissions ?? new Set(), ip: null, userAgent: null },
        membershipOf(t.platform, member, acme).membership_id,
      );
      const gone = await request(app).get('/api/v1/t/acme/items').set(bearer(token));
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('not_found');
    });

    it('stops when its user is disabled', async () => {
      const member = await makeUser(t.platform);
      await addMember(t.platform, member, acme, 'editor');
      const token = personalToken(t.platform, member);
      expect((await request(app).get('/api/v1/me').set(bearer(token))).status).toBe(200);
      changeUserStatus(t.platform, { destroyAllForUser: () => 0 }, member.id, 'disabled', CLI_OPERATOR);
      expect((await request(app).get('/api/v1/me').set(bearer(token))).status).toBe(401);
    });

    it('limited to one workspace answers 404 in another where its user is a member too', async () => {
      const token = personalToken(t.platform, owner, { tenant: acme });
      expect((await request(app).get('/api/v1/t/acme/items').set(bearer(token))).status).toBe(200);
      expect((await request(app).get('/api/v1/t/globex/items').set(bearer(token))).status).toBe(404);
    });

    it('cannot be made with scopes beyond the role in the workspace it is limited to, nor with super-admin scopes by anyone else', async () => {
      const agent = await signIn(app, editor.email);
      const beyond = await postForm(agent, '/account/tokens', { name: 'Too much', scopes: 'team.invite', tenant: 'acme' }, '/account/tokens');
      expect(beyond.status).toBe(400);
      expect(beyond.text).toContain('team.invite, which your role in acme (Editor) does not have');
      const admin = await postForm(agent, '/account/tokens', { name: 'Admin', scopes: 'admin.tenants' }, '/account/tokens');
      expect(admin.status).toBe(400);
      expect(admin.text).toContain('only super admins may hold');
      const foreign = await postForm(agent, '/account/tokens', { name: 'Foreign', scopes: 'content.view', tenant: 'globex' }, '/account/tokens');
      expect(foreign.status).toBe(400);
      expect(t.platform.db.connection().prepare("select count(*) as n from api_tokens where name in ('Too much', 'Admin', 'Foreign')").get()).toEqual({ n: 0 });
    });

    it('cannot be revoked by another user: their id is not found and the token goes on working', async () => {
      const token = personalToken(t.platform, owner);
      const id = (
        t.platform.db
          .connection()
          .prepare('select id from api_tokens where hint = ?')
          .get(`tnt_…${token.slice(-4)}`) as { id: string }
      ).id;
      const agent = await signIn(app, editor.email);
      expect((await postForm(agent, `/account/tokens/${id}/revoke`, { confirmed: 'yes' }, '/account/tokens')).status).toBe(404);
      // Nor is the question asked first: a token that is not there to revoke is refused at once.
      const unconfirmed = await postForm(agent, `/account/tokens/${id}/revoke`, {}, '/account/tokens');
      expect(unconfirmed.status).toBe(404);
      expect(unconfirmed.text).not.toContain('Revoke the token');
      expect((await request(app).get('/api/v1/me').set(bearer(token))).status).toBe(200);
    });
  });

  describe('the same form sent twice at once (a double click)', () => {
    const twice = async (agent: Agent, path: string, form: Record<string, string>) => {
      const _csrf = await csrfFrom(agent, path);
      const send = () =>
        agent
          .post(path)
          .type('form')
          .send({ ...form, _csrf });
      return Promise.all([send(), send()]);
    };
    const tokensNamed = (name: string) => t.platform.db.all<{ id: string; token_hash: string }>('select id, token_hash from api_tokens where name = ?', [name]);

    it.each([
      ['a personal token', '/account/tokens', { name: 'Twice personal', scopes: 'content.view', expires_in_days: '30' }],
      ['a service token', '/t/acme/tokens', { name: 'Twice service', scopes: 'content.view', expires_in_days: '30' }],
    ])('makes %s once, recorded once, and the token shown is the one that works', async (_what, path, form) => {
      const agent = await signIn(app, owner.email);
      const answers = await twice(agent, path, form);
      expect(answers.map((a) => a.status)).toEqual([303, 303]);
      const made = tokensNamed(form.name);
      expect(made).toHaveLength(1);
      expect(auditOf(t.platform, 'api_token.create').filter((r) => r.target_id === made[0].id)).toHaveLength(1);
      const shown = TOKEN_IN_PAGE.exec((await agent.get(path)).text)?.[1] as string;
      expect(hashApiToken(shown)).toBe(made[0].token_hash);
      // The same name again later, or with other scopes, is another token.
      expect((await postForm(agent, path, { ...form, scopes: 'content.create' }, path)).status).toBe(303);
      expect(tokensNamed(form.name)).toHaveLength(2);
    });
  });

  describe('service tokens', () => {
    it('belong to the workspace: made on its tokens page with api_tokens.manage, they survive their creator leaving, and the workspace revokes them', async () => {
      const admin = await makeUser(t.platform);
      await addMember(t.platform, admin, acme, 'admin');
      const agent = await signIn(app, admin.email);
      const created = await postForm(
        agent,
        '/t/acme/tokens',
        { name: 'CMS sync', scopes: ['content.view', 'content.create'] as unknown as string },
        '/t/acme/tokens',
      );
      expect(created.status).toBe(303);
      const token = TOKEN_IN_PAGE.exec((await agent.get(created.headers.location)).text)?.[1] as string;

      await setRole(t.platform, admin, acme, 'viewer');
      t.platform.memberships.markRemoved(membershipOf(t.platform, admin, acme).membership_id, acme.id);
      const res = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).send({ title: 'Synced' });
      expect(res.status).toBe(201);
      expect(res.body.data.created_by).toMatch(/^k[0-9a-f]{24}$/);
      expect((await request(app).get('/api/v1/t/globex/items').set(bearer(token))).status).toBe(404);
      const me = await request(app).get('/api/v1/me').set(bearer(token));
      expect(me.body).toMatchObject({ user: null, token: { kind: 'service', tenant: 'acme', scopes: ['content.create', 'content.view'] } });

      const ownerAgent = await signIn(app, owner.email);
      const page = await ownerAgent.get('/t/acme/tokens');
      expect(page.text).toContain('CMS sync');
      const id = (t.platform.db.connection().prepare("select id from api_tokens where name = 'CMS sync'").get() as { id: string }).id;
      expect((await postForm(ownerAgent, `/t/acme/tokens/${id}/revoke`, { confirmed: 'yes' }, '/t/acme/tokens')).status).toBe(303);
      expect((await request(app).get('/api/v1/t/acme/items').set(bearer(token))).status).toBe(401);
      expect(auditOf(t.platform, 'api_token.revoke').at(-1)).toMatchObject({ tenant_id: acme.id, actor_user_id: owner.id, target_id: id });
    });

    it('hold content and reading scopes only, never team or token management', async () => {
      const agent = await signIn(app, owner.email);
      const res = await postForm(agent, '/t/acme/tokens', { name: 'Inviter', scopes: 'team.invite' }, '/t/acme/tokens');
      expect(res.status).toBe(400);
      expect(res.text).toContain('a service token may not hold');
    });

    it('answer a revocation sent twice by the same person, after or at once, as done both times, revoking once; another admin or long after is still refused (409)', async () => {
      const tokenId = (token: string) =>
        (
          t.platform.db
            .connection()
            .prepare('select id from api_tokens where hint = ?')
            .get(`tnt_…${token.slice(-4)}`) as { id: string }
        ).id;
      const ownerAgent = await signIn(app, owner.email);
      const revocations = (id: string) => auditOf(t.platform, 'api_token.revoke').filter((e) => e.target_id === id);
      const revoke = (agent: Agent, path: string, listPage: string) => postForm(agent, path, { confirmed: 'yes' }, listPage);

      const service = tokenId(serviceToken(t.platform, owner, acme, ['content.view']));
      const first = await revoke(ownerAgent, `/t/acme/tokens/${service}/revoke`, '/t/acme/tokens');
      const again = await revoke(ownerAgent, `/t/acme/tokens/${service}/revoke`, '/t/acme/tokens');
      expect([again.status, again.headers.location]).toEqual([303, first.headers.location]);
      expect((await ownerAgent.get(again.headers.location)).text).toContain('was revoked.');
      const atOnce = tokenId(serviceToken(t.platform, owner, acme, ['content.view']));
      const both = await Promise.all([1, 2].map(() => revoke(ownerAgent, `/t/acme/tokens/${atOnce}/revoke`, '/t/acme/tokens')));
      expect(both.map((r) => r.status)).toEqual([303, 303]);
      expect([revocations(service), revocations(atOnce)].map((r) => r.length)).toEqual([1, 1]);

      const mine = tokenId(personalToken(t.platform, owner));
      const personal = await Promise.all([1, 2].map(() => revoke(ownerAgent, `/account/tokens/${mine}/revoke`, '/account/tokens')));
      expect(personal.map((r) => [r.status, r.headers.location])).toEqual([
        [303, '/account/tokens'],
        [303, '/account/tokens'],
      ]);
      expect((await revoke(ownerAgent, `/account/tokens/${mine}/revoke`, '/account/tokens')).status).toBe(303);
      expect(revocations(mine)).toHaveLength(1);

      const otherAdmin = await makeUser(t.platform);
      await addMember(t.platform, otherAdmin, acme, 'admin');
      expect((await revoke(await signIn(app, otherAdmin.email), `/t/acme/tokens/${service}/revoke`, '/t/acme/tokens')).status).toBe(409);
      expect((await revoke(await signIn(app, otherAdmin.email), `/account/tokens/${mine}/revoke`, '/account/tokens')).status).toBe(404);
      t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'api_token.revoke'", [DOUBLE_SUBMIT_MS + 1000]);
      expect((await revoke(ownerAgent, `/t/acme/tokens/${service}/revoke`, '/t/acme/tokens')).status).toBe(409);
      expect((await revoke(ownerAgent, `/account/tokens/${mine}/revoke`, '/account/tokens')).status).toBe(409);
      expect(revocations(service)).toHaveLength(1);
    });

    it('are managed only with api_tokens.manage: an editor gets 403, and another workspace cannot revoke them (404)', async () => {
      const token = serviceToken(t.platform, owner, acme, ['content.view']);
      const id = (
        t.platform.db
          .connection()
          .prepare('select id from api_tokens where hint = ?')
          .get(`tnt_…${token.slice(-4)}`) as { id: string }
      ).id;
      const agent = await signIn(app, editor.email);
      expect((await agent.get('/t/acme/tokens')).status).toBe(403);
      const ownerAgent = await signIn(app, owner.email);
      expect((await postForm(ownerAgent, `/t/globex/tokens/${id}/revoke`, { confirmed: 'yes' }, '/t/globex/tokens')).status).toBe(404);
      expect((await postForm(ownerAgent, `/t/globex/tokens/${id}/revoke`, {}, '/t/globex/tokens')).status).toBe(404);
      expect((await request(app).get('/api/v1/t/acme/items').set(bearer(token))).status).toBe(200);
      // Once revoked, asking again is refused at once (409) on the tokens page, with no second question.
      expect((await postForm(ownerAgent, `/t/acme/tokens/${id}/revoke`, { confirmed: 'yes' }, '/t/acme/tokens')).status).toBe(303);
      const again = await postForm(ownerAgent, `/t/acme/tokens/${id}/revoke`, {}, '/t/acme/tokens');
      expect(again.status).toBe(409);
      expect(again.text).toContain('This token was already revoked.');
      expect(again.text).not.toContain('Revoke this token?');
    });
  });

  describe('the audit trail', () => {
    it("names the token a change came with, and never names an outsider's token that probed the workspace", async () => {
      const agent = await signIn(app, owner.email);
      const made = await postForm(agent, '/account/tokens', { name: 'Nightly importer', scopes: 'content.create', tenant: 'acme' }, '/account/tokens');
      const token = TOKEN_IN_PAGE.exec((await agent.get(made.headers.location)).text)?.[1] as string;
      const item = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).send({ title: 'Imported' });
      await request(app).post(`/api/v1/t/acme/items/${item.body.data.id}/submit`).set(bearer(token));
      const trail = await agent.get('/t/acme/audit');
      expect(trail.text).toContain(`via API token Nightly importer (tnt_…${token.slice(-4)})`);

      const outsider = await makeUser(t.platform);
      const other = await makeTenant(t.platform, 'outside');
      await addMember(t.platform, outsider, other, 'owner');
      const probe = personalToken(t.platform, outsider);
      t.platform.db
        .connection()
        .prepare("update api_tokens set name = 'Outsider probe' where hint = ?")
        .run(`tnt_…${probe.slice(-4)}`);
      expect((await request(app).get('/api/v1/t/acme/items').set(bearer(probe))).status).toBe(404);
      const after = await agent.get('/t/acme/audit');
      expect(after.text).not.toContain('Outsider probe');
      expect(auditOf(t.platform, 'access.refused').at(-1)).toMatchObject({ tenant_id: acme.id });
    });

    it("gives the CSV export the token column the page shows: the token's name and hint on its changes, nothing for an outsider's probe", async () => {
      const token = personalToken(t.platform, owner, { tenant: acme, scopes: ['content.create', 'content.edit'] });
      t.platform.db
        .connection()
        .prepare("update api_tokens set name = 'CSV feeder' where hint = ?")
        .run(`tnt_…${token.slice(-4)}`);
      const item = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).send({ title: 'Fed by CSV feeder' });
      expect(item.status).toBe(201);
      expect((await request(app).post(`/api/v1/t/acme/items/${item.body.data.id}/submit`).set(bearer(token))).status).toBe(200);
      const stranger = await makeUser(t.platform);
      const strangers = await makeTenant(t.platform, 'strangers');
      await addMember(t.platform, stranger, strangers, 'owner');
      const probe = personalToken(t.platform, stranger);
      t.platform.db
        .connection()
        .prepare("update api_tokens set name = 'CSV probe' where hint = ?")
        .run(`tnt_…${probe.slice(-4)}`);
      expect((await request(app).get('/api/v1/t/acme/items').set(bearer(probe))).status).toBe(404);

      const agent = await signIn(app, owner.email);
      const rows = parseCsv((await agent.get('/t/acme/audit.csv')).text);
      const column = rows[0].indexOf('api_token');
      expect(column).toBeGreaterThan(-1);
      const submitted = rows.find((r) => r[3] === 'item.submit' && r[5] === String(item.body.data.id));
      expect(submitted?.[column]).toBe(`CSV feeder (tnt_…${token.slice(-4)})`);
      const refused = rows.filter((r) => r[3] === 'access.refused');
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.map((r) => r[column])).not.toContain(expect.stringContaining('CSV probe'));
      expect(rows.flat().join('\n')).not.toContain('CSV probe');
    });
  });

  describe('the super-admin API', () => {
    it('answers only super admins (404 for anyone else), and a token only with the scope', async () => {
      const root = await makeUser(t.platform, { superAdmin: true });
      const scoped = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
      const unscoped = personalToken(t.platform, root, { scopes: ['content.view'] });
      const list = await request(app).get('/api/v1/admin/tenants').set(bearer(scoped));
      expect(list.status).toBe(200);
      expect(list.body.data.map((x: { slug: string }) => x.slug)).toEqual(expect.arrayContaining(['acme', 'globex']));
      expect((await request(app).get('/api/v1/admin/tenants').set(bearer(unscoped))).status).toBe(403);
      expect((await request(app).get('/api/v1/admin/users').set(bearer(scoped))).status).toBe(403);
      expect(
        (
          await request(app)
            .get('/api/v1/admin/tenants')
            .set(bearer(personalToken(t.platform, owner)))
        ).status,
      ).toBe(404);
    });

    it('suspends and resumes a tenant', async () => {
      const root = await makeUser(t.platform, { superAdmin: true });
      const token = personalToken(t.platform, root, { scopes: ['admin.tenants', 'admin.users'] });
      const spare = await makeTenant(t.platform, 'spare');
      const withoutReason = await request(app).post(`/api/v1/admin/tenants/${spare.id}/suspend`).set(bearer(token)).send({});
      expect(withoutReason.status).toBe(400);
      expect(t.platform.tenants.findById(spare.id)?.status).toBe('active');
      const suspended = await request(app).post(`/api/v1/admin/tenants/${spare.id}/suspend`).set(bearer(token)).send({ reason: 'Invoice unpaid' });
      expect(suspended.body.data).toMatchObject({ slug: 'spare', status: 'suspended' });
      expect(t.platform.tenants.findById(spare.id)).toMatchObject({ status_reason: 'Invoice unpaid' });
      expect((await request(app).post('/api/v1/admin/tenants/spare/resume').set(bearer(token))).body.data.status).toBe('active');
      const victim = await makeUser(t.platform);
      const disabled = await request(app).post(`/api/v1/admin/users/${victim.id}/disable`).set(bearer(token));
      expect(disabled.body.data).toMatchObject({ id: victim.id, status: 'disabled' });
    });
  });
});
