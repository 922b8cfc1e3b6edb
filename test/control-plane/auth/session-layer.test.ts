import crypto from 'node:crypto';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import request from 'supertest';
import type { Express } from 'express';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { TEST_PASSWORD, addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import { changeUserStatus } from '../../../control-plane/users/change-user-status';
import { SessionRepository } from '../../../control-plane/auth/session-repository';
import { mintSessionToken, sessionIdOf, sessionKey } from '../../../control-plane/auth/session-token';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { SESSION_MAX_AGE_MS } from '../../../control-plane/auth/session-renewal';
import { REPLACED_SESSION_WINDOW_MS } from '../../../control-plane/auth/replaced-session-ids';

const SESSION = 'tenantry.sid';

function sessionCookieOf(res: request.Response): string | undefined {
  const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${SESSION}=`));
  return header ? header.slice(SESSION.length + 1).split(';')[0] : undefined;
}

/** Server-side sessions behind one signed cookie: what lets a request in, and what keeps it out. */
describe('the session layer', () => {
  let t: TestPlatform;
  let app: Express;
  let user: UserRecord;
  let agent: Agent;
  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    user = await makeUser(t.platform);
    agent = await signIn(app, user.email);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    return t.cleanup();
  });

  const cookieOf = (a: Agent) => a.jar.getCookie(SESSION, { domain: '127.0.0.1', path: '/', secure: false, script: false })?.value ?? '';
  const rows = () =>
    t.platform.db.connection().prepare('select sid, user_id, data from sessions').all() as Array<{ sid: string; user_id: string; data: string }>;
  const asVisitor = async (cookie: string) => request(app).get('/tenants').set('Cookie', `${SESSION}=${cookie}`);

  it('lets the signed-in cookie in', async () => {
    expect((await asVisitor(cookieOf(agent))).status).toBe(200);
  });

  it('ignores a cookie whose signature was tampered with: the request is a visitor’s', async () => {
    const cookie = cookieOf(agent);
    const last = cookie.at(-1) === 'A' ? 'B' : 'A';
    const res = await asVisitor(cookie.slice(0, -1) + last);
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('ignores a cookie signed with another secret, even for a token that is stored', async () => {
    const [token] = cookieOf(agent).split('.');
    const forged = `${token}.${crypto.createHmac('sha256', 'not-our-secret').update(`session:${token}`).digest('base64url')}`;
    expect((await asVisitor(forged)).status).toBe(302);
    expect((await asVisitor(token)).status).toBe(302);
  });

  it('stores only the hash of the token: the table holds no cookie', async () => {
    const [token] = cookieOf(agent).split('.');
    const stored = rows();
    expect(stored).toEqual([expect.objectContaining({ sid: sessionIdOf(token), user_id: user.id })]);
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('refuses an expired session and removes it', async () => {
    t.platform.db
      .connection()
      .prepare('update sessions set expires_at = ?')
      .run(Date.now() - 1);
    const res = await asVisitor(cookieOf(agent));
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
    expect(rows()).toEqual([]);
  });

  it('refuses a session that expired since its row was last read, though nothing was written since', async () => {
    expect((await agent.get('/tenants')).status).toBe(200);
    // Sent by hand: the agent's cookie jar would drop the cookie itself once past its Max-Age.
    const cookie = cookieOf(agent);
    const later = Date.now() + SESSION_MAX_AGE_MS + 1000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      const res = await asVisitor(cookie);
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^\/login/);
    } finally {
      clock.mockRestore();
    }
    expect(rows()).toEqual([]);
  });

  /** A statement run by another process on the control plane (the command line), on a connection of its own. */
  const inAnotherProcess = (sql: string, ...params: string[]) => {
    const other = new BetterSqlite3(path.join(t.dataDir, 'platform.sqlite'));
    try {
      other.prepare(sql).run(...params);
    } finally {
      other.close();
    }
  };

  it('refuses a session revoked by another process (the command line) on the next request', async () => {
    expect((await agent.get('/tenants')).status).toBe(200);
    inAnotherProcess('delete from sessions where user_id = ?', user.id);
    expect((await agent.get('/tenants')).status).toBe(302);
  });

  it('signs out on the next request a user another process disabled', async () => {
    expect((await agent.get('/tenants')).status).toBe(200);
    inAnotherProcess("update users set status = 'disabled' where id = ?", user.id);
    expect((await agent.get('/tenants')).status).toBe(302);
  });

  it('refuses a revoked session on the next request', async () => {
    expect((await agent.get('/tenants')).status).toBe(200);
    new SessionRepository(t.platform.db).destroyAllForUser(user.id);
    const res = await agent.get('/tenants');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('signs a suspended user out on the next request', async () => {
    const admin = await makeUser(t.platform, { superAdmin: true });
    expect((await agent.get('/tenants')).status).toBe(200);
    changeUserStatus(t.platform, new SessionRepository(t.platform.db), user.id, 'disabled', { userId: admin.id, ip: null, userAgent: null });
    expect((await agent.get('/tenants')).status).toBe(302);
  });

  it('gives a new session id at sign-in: the visitor’s cookie from before signs nobody in', async () => {
    const visitor = request.agent(app);
    const page = await visitor.get('/login');
    const before = sessionCookieOf(page);
    expect(before).toBeDefined();
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await visitor.post('/login').type('form').send({ email: user.email, password: TEST_PASSWORD, _csrf });
    expect(res.status).toBe(302);
    const after = sessionCookieOf(res);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect((await asVisitor(before ?? '')).status).toBe(302);
    expect((await asVisitor(after ?? '')).status).toBe(200);
    expect(rows().map((r) => r.sid)).not.toContain(sessionIdOf((before ?? '').split('.')[0]));
  });

  it('gives a new session id when the password changes, and keeps the person signed in on it', async () => {
    const before = cookieOf(agent);
    const res = await postForm(agent, '/account/password', {
      current_password: TEST_PASSWORD,
      new_password: 'a brand new passphrase 42',
      new_password_confirm: 'a brand new passphrase 42',
    });
    expect(res.status).toBe(303);
    const after = cookieOf(agent);
    expect(after).not.toBe(before);
    // Told that the session changed for a few seconds (a request sent at the same moment), never served.
    expect((await asVisitor(before)).status).toBe(409);
    expect((await asVisitor(after)).status).toBe(200);
    expect(rows().map((r) => r.sid)).toEqual([sessionIdOf(after.split('.')[0])]);
  });

  /** Every cookie a browser sends with its next requests, taken before an answer replaces the session's. */
  const jarCookies = (a: Agent) =>
    a.jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .map((c) => c.toValueString())
      .join('; ');

  describe('a request sent with the session id that another request of the same browser just renewed (a double click, a second tab)', () => {
    let root: UserRecord;
    let admin: Agent;
    let cookies: string;
    let _csrf: string;
    beforeEach(async () => {
      const acme = await makeTenant(t.platform, 'acme');
      await addMember(t.platform, user, acme, 'owner');
      root = await makeUser(t.platform, { superAdmin: true });
      admin = await signIn(app, root.email);
      _csrf = await csrfFrom(admin, `/admin/users/${user.id}`);
      cookies = jarCookies(admin);
    });
    const withOldCookies = (req: request.Test) => req.set('Cookie', cookies);
    const impersonate = () =>
      withOldCookies(request(app).post(`/admin/users/${user.id}/impersonate`))
        .type('form')
        .send({ reason: 'Ticket 12: a double click', _csrf });
    const rootSids = () => rows().filter((r) => r.user_id === root.id);

    it('is answered 409 "reload the page", on a page, in JSON and as the API’s problem document, with no cookie, while the new session goes on', async () => {
      const first = await impersonate();
      const second = await impersonate();
      const page = await withOldCookies(request(app).get('/admin/users'));
      const json = await withOldCookies(request(app).get('/api/v1/context'));
      const rest = await withOldCookies(request(app).get('/api/v1/me'));

      expect(first.status).toBe(303);
      expect(second.status).toBe(409);
      expect(second.text).toContain('Your session changed a moment ago (a second click, or another tab): reload the page.');
      expect(page.status).toBe(409);
      expect(json.status).toBe(409);
      expect(json.body).toEqual({ error: { code: 'session_replaced', message: expect.stringContaining('reload the page') } });
      expect(rest.status).toBe(409);
      expect(rest.body).toMatchObject({ code: 'session_replaced', status: 409 });
      for (const res of [second, page, json, rest]) expect(res.headers['set-cookie']).toBeUndefined();
      // One session, the new one, acting as the user; it serves the browser that holds its cookie.
      expect(rootSids()).toHaveLength(1);
      expect(JSON.parse(rootSids()[0].data)).toMatchObject({ impersonation: { targetUserId: user.id } });
      const reloaded = await request(app)
        .get('/api/v1/context')
        .set('Cookie', `${SESSION}=${sessionCookieOf(first)}`);
      expect(reloaded.body.user).toMatchObject({ id: user.id });
    });

    it('is told so when the impersonation it ends was just stopped by the first click, not that there is none (404)', async () => {
      expect((await postForm(admin, `/admin/users/${user.id}/impersonate`, { reason: 'Ticket 12' }, `/admin/users/${user.id}`)).status).toBe(303);
      const token = await csrfFrom(admin, '/account');
      cookies = jarCookies(admin);
      const stop = () => withOldCookies(request(app).post('/impersonation/stop')).type('form').send({ _csrf: token });
      expect((await stop()).status).toBe(303);
      expect((await stop()).status).toBe(409);
      expect(rootSids().map((r) => JSON.parse(r.data) as unknown)).toEqual([{}]);
    });

    it('is signed out like any unknown id once a few seconds have passed, and a visitor’s id replaced at sign-in never answers 409', async () => {
      await impersonate();
      const now = Date.now();
      jest.spyOn(Date, 'now').mockReturnValue(now + REPLACED_SESSION_WINDOW_MS);
      const later = await withOldCookies(request(app).get('/admin/users'));
      expect(later.status).toBe(302);
      expect(later.headers.location).toMatch(/^\/login/);
      jest.restoreAllMocks();

      const visitor = request.agent(app);
      const page = await visitor.get('/login');
      const before = sessionCookieOf(page) ?? '';
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      expect((await visitor.post('/login').type('form').send({ email: user.email, password: TEST_PASSWORD, _csrf: token })).status).toBe(302);
      expect((await asVisitor(before)).status).toBe(302);
    });
  });

  it('stores no row for a visitor who only opened the sign-in page', async () => {
    await t.platform.db.connection().prepare('delete from sessions').run();
    expect(sessionCookieOf(await request(app).get('/login'))).toBeDefined();
    expect(rows()).toEqual([]);
  });

  it('removes the row and the cookie at sign-out; the old cookie then signs nobody in', async () => {
    const cookie = cookieOf(agent);
    const page = await agent.get('/tenants');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await agent.post('/logout').type('form').send({ _csrf });
    expect(res.status).toBe(302);
    expect(([] as string[]).concat(res.headers['set-cookie'] ?? []).some((c) => c.startsWith(`${SESSION}=;`))).toBe(true);
    expect(rows()).toEqual([]);
    expect((await asVisitor(cookie)).status).toBe(302);
  });

  it('never brings back a session removed while a request still held it', () => {
    const sessions = new SessionRepository(t.platform.db);
    const sid = sessionIdOf(mintSessionToken(sessionKey(t.config.sessionSecret)).token);
    sessions.create({ sid, userId: user.id, data: {}, expiresAt: Date.now() + 60_000, userAgent: null, ip: null });
    sessions.destroy(sid);
    sessions.saveData(sid, JSON.stringify({ lastTenantId: 't1' }));
    sessions.touch(sid, Date.now() + 60_000, Date.now());
    expect(sessions.find(sid)).toBeUndefined();
  });
});
