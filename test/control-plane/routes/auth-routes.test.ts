import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeUser, TEST_PASSWORD } from '../../support/factories';
import { csrfFrom, postForm, signIn } from '../../support/http-agent';
import * as passwordHasher from '../../../control-plane/auth/password-hasher';

function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('tenantry.sid='));
}

describe('sign-in', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  it('signs a user in with email and password and sets a HttpOnly, SameSite=Lax session cookie', async () => {
    const user = await makeUser(t.platform, { email: 'ada@example.com' });
    const { app } = createApp(t.platform);
    const agent = request.agent(app);
    const res = await postForm(agent, '/login', { email: 'ADA@example.com', password: TEST_PASSWORD }, '/login');
    expect(res.status).toBe(302);
    const cookie = sessionCookie(res);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const sessions = t.platform.db.connection().prepare('select user_id from sessions where user_id = ?').all(user.id);
    expect(sessions).toHaveLength(1);
  });

  it('marks the cookie Secure when the base URL is https', async () => {
    const secure = await createTestPlatform({ BASE_URL: 'https://tenantry.example.com', TRUST_PROXY: 'true' });
    try {
      const { app } = createApp(secure.platform);
      const page = await request(app).get('/login').set('X-Forwarded-Proto', 'https');
      expect(sessionCookie(page)).toMatch(/; Secure/);
      const csrfCookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-tenantry.csrf='));
      expect(csrfCookie).toMatch(/; Secure/);
    } finally {
      await secure.cleanup();
    }
  });

  it('regenerates the session id at sign-in', async () => {
    await makeUser(t.platform, { email: 'ada@example.com' });
    const { app } = createApp(t.platform);
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const before = sessionCookie(page)?.split(';')[0];
    expect(before).toBeDefined();
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await agent.post('/login').type('form').send({ email: 'ada@example.com', password: TEST_PASSWORD, _csrf: token });
    const after = sessionCookie(res)?.split(';')[0];
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('answers a wrong email and a wrong password with the same message', async () => {
    await makeUser(t.platform, { email: 'ada@example.com' });
    const { app } = createApp(t.platform);
    const wrongPassword = await postForm(request.agent(app), '/login', { email: 'ada@example.com', password: 'not the password!' }, '/login');
    const wrongEmail = await postForm(request.agent(app), '/login', { email: 'nobody@example.com', password: TEST_PASSWORD }, '/login');
    expect(wrongPassword.status).toBe(401);
    expect(wrongEmail.status).toBe(401);
    expect(wrongPassword.text).toContain('Email or password is incorrect.');
    expect(wrongEmail.text).toContain('Email or password is incorrect.');
    const audit = t.platform.db.connection().prepare("select count(*) as n from audit_events where action = 'auth.login_failed'").get();
    expect(audit).toEqual({ n: 2 });
  });

  it('logs out by destroying the session server-side', async () => {
    const user = await makeUser(t.platform);
    const { app } = createApp(t.platform);
    const agent = await signIn(app, user.email);
    expect((await agent.get('/tenants')).status).toBe(200);
    const res = await postForm(agent, '/logout', {});
    expect(res.status).toBe(302);
    expect(t.platform.db.connection().prepare('select count(*) as n from sessions where user_id = ?').get(user.id)).toEqual({ n: 0 });
    const after = await agent.get('/tenants');
    expect(after.status).toBe(302);
    expect(after.headers.location).toMatch(/^\/login/);
  });

  it('keeps sessions across a restart (stored in the control plane)', async () => {
    const user = await makeUser(t.platform);
    const agent = await signIn(createApp(t.platform).app, user.email);
    const cookie = (await agent.get('/tenants')).request.getHeader?.('cookie');
    const restarted = createApp(t.platform).app;
    const res = await request(restarted)
      .get('/tenants')
      .set('Cookie', String(cookie ?? agent.jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false }).toValueString()));
    expect(res.status).toBe(200);
  });

  it('rejects a state-changing form without a valid CSRF token and changes nothing', async () => {
    const user = await makeUser(t.platform, { superAdmin: true });
    const { app } = createApp(t.platform);
    const agent = await signIn(app, user.email);
    const missing = await agent.post('/admin/tenants').type('form').send({ name: 'Acme', slug: 'acme' });
    const forged = await agent.post('/admin/tenants').type('form').send({ name: 'Acme', slug: 'acme', _csrf: 'forged.token' });
    expect(missing.status).toBe(403);
    expect(forged.status).toBe(403);
    expect(await t.platform.tenants.list()).toEqual([]);
    const anonymous = await request(app).post('/login').type('form').send({ email: user.email, password: TEST_PASSWORD });
    expect(anonymous.status).toBe(403);
  });

  it('refuses a form sent from another origin even with a valid token, and accepts its own origin', async () => {
    const user = await makeUser(t.platform, { superAdmin: true });
    const { app } = createApp(t.platform);
    const agent = await signIn(app, user.email);
    const token = await csrfFrom(agent, '/admin/tenants/new');
    const send = (origin: string) => agent.post('/admin/tenants').set('Origin', origin).type('form').send({ name: 'Acme', slug: 'acme', _csrf: token });
    for (const origin of ['https://evil.example', 'null', 'http://localhost:3000.evil.example']) {
      const res = await send(origin);
      expect(res.status).toBe(403);
    }
    expect(await t.platform.tenants.list()).toEqual([]);
    const own = await send(t.config.baseUrl);
    expect(own.status).toBe(303);
    expect(t.platform.tenants.findBySlug('acme')).toBeDefined();
  });

  describe('per account', () => {
    const limits = { freeFailures: 3, baseDelayMs: 40, maxDelayMs: 320, perIp: 1000 };
    const attempt = async (agent: ReturnType<typeof request.agent>, password: string) => {
      const _csrf = await csrfFrom(agent, '/login');
      const started = Date.now();
      const res = await agent.post('/login').type('form').send({ email: 'ada@example.com', password, _csrf });
      return { status: res.status, ms: Date.now() - started };
    };

    it('slows guesses from a new device once the free failures are spent', async () => {
      await makeUser(t.platform, { email: 'ada@example.com' });
      const { app } = createApp(t.platform, { loginLimits: { ...limits, baseDelayMs: 600, maxDelayMs: 2000 } });
      const attacker = request.agent(app);
      for (let i = 0; i < 3; i++) expect((await attempt(attacker, 'wrong password!!')).status).toBe(401);
      const slowed = await attempt(attacker, 'wrong password!!');
      expect(slowed.status).toBe(401);
      expect(slowed.ms).toBeGreaterThanOrEqual(590);
    });

    it('never refuses the right password, from a new address: it only waits', async () => {
      await makeUser(t.platform, { email: 'ada@example.com' });
      const { app } = createApp(t.platform, { loginLimits: limits });
      const attacker = request.agent(app);
      for (let i = 0; i < 8; i++) await attempt(attacker, 'wrong password!!');
      const { status, ms } = await attempt(request.agent(app), TEST_PASSWORD);
      expect(status).toBe(302);
      expect(ms).toBeLessThan(1000);
    });

    it('does not slow the owner on a device that signed in to the account before, whatever an attacker does', async () => {
      await makeUser(t.platform, { email: 'ada@example.com' });
      const { app } = createApp(t.platform, { loginLimits: { ...limits, baseDelayMs: 5000, maxDelayMs: 10_000 } });
      const owner = request.agent(app);
      expect((await attempt(owner, TEST_PASSWORD)).status).toBe(302);
      await postForm(owner, '/logout', {});
      const attacker = request.agent(app);
      for (let i = 0; i < 3; i++) await attempt(attacker, 'wrong password!!');
      const again = await attempt(owner, TEST_PASSWORD);
      expect(again.status).toBe(302);
      expect(again.ms).toBeLessThan(4000);
    });

    it('never slows tries whose email names no account (blank or garbled): the per-address limit covers them', async () => {
      const { app } = createApp(t.platform, { loginLimits: { ...limits, freeFailures: 0, baseDelayMs: 600, maxDelayMs: 2000 } });
      const agent = request.agent(app);
      const _csrf = await csrfFrom(agent, '/login');
      for (const email of ['', '', 'not an address', '', 'not an address']) {
        const started = Date.now();
        const res = await agent.post('/login').type('form').send({ email, password: 'wrong password!!', _csrf });
        expect(res.status).toBe(401);
        expect(Date.now() - started).toBeLessThan(590);
      }
    });

    it('still slows guesses at an account whose address the form would not accept today', async () => {
      const { app } = createApp(t.platform, { loginLimits: { ...limits, freeFailures: 0, baseDelayMs: 600, maxDelayMs: 2000 } });
      t.platform.db.run("update users set email = 'root@localhost' where id = ?", [(await makeUser(t.platform, { email: 'root@example.com' })).id]);
      const attacker = request.agent(app);
      const _csrf = await csrfFrom(attacker, '/login');
      const send = () => attacker.post('/login').type('form').send({ email: 'root@localhost', password: 'wrong password!!', _csrf });
      expect((await send()).status).toBe(401);
      const started = Date.now();
      expect((await send()).status).toBe(401);
      expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    });

    it('spaces a burst of parallel guesses from new devices, refuses those past the cap, and does not slow a known device meanwhile', async () => {
      await makeUser(t.platform, { email: 'ada@example.com' });
      const { app } = createApp(t.platform, { loginLimits: { ...limits, baseDelayMs: 100, maxDelayMs: 800 } });
      const owner = request.agent(app);
      expect((await attempt(owner, TEST_PASSWORD)).status).toBe(302);
      await postForm(owner, '/logout', {});
      const ownerToken = await csrfFrom(owner, '/login');
      const checks: { at: number; password: string }[] = [];
      const original = passwordHasher.verifyPassword;
      const verify = jest.spyOn(passwordHasher, 'verifyPassword').mockImplementation((hash, password) => {
        checks.push({ at: Date.now(), password });
        return original(hash, password);
      });
      try {
        const attacker = request.agent(app);
        const _csrf = await csrfFrom(attacker, '/login');
        // Sent now, all at once (then() starts each request).
        const burst = Array.from({ length: 12 }, () =>
          attacker
            .post('/login')
            .type('form')
            .send({ email: 'ada@example.com', password: 'wrong password!!', _csrf })
            .then((res) => res),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
        const started = Date.now();
        const own = await owner.post('/login').type('form').send({ email: 'ada@example.com', password: TEST_PASSWORD, _csrf: ownerToken });
        const ownMs = Date.now() - started;
        const answers = await Promise.all(burst);

        // The owner's browser signed in to the account before: neither refused nor queued behind the burst (700 ms long).
        expect(own.status).toBe(302);
        expect(ownMs).toBeLessThan(600);

        const refused = answers.filter((res) => res.status === 429);
        const checked = answers.filter((res) => res.status === 401);
        expect(refused.length + checked.length).toBe(12);
        // 3 free, then 100, 300 and 700 ms later; the next would wait past the 800 ms cap.
        expect(refused.length).toBeGreaterThanOrEqual(5);
        for (const res of refused) {
          expect(res.headers['retry-after']).toBe('1');
          expect(res.text).toContain('Too many sign-in attempts for this account from new devices; try again in 1 second.');
          expect(res.text).toContain('value="ada@example.com"');
        }
        const guesses = checks.filter((c) => c.password === 'wrong password!!').map((c) => c.at);
        expect(guesses).toHaveLength(checked.length);
        // Past the free ones, no two guesses are checked together.
        const spaced = guesses.sort((a, b) => a - b).slice(3);
        expect(spaced.length).toBeGreaterThanOrEqual(1);
        for (let i = 1; i < spaced.length; i++) expect(spaced[i] - spaced[i - 1]).toBeGreaterThanOrEqual(80);
        expect(spaced[0] - guesses[0]).toBeGreaterThanOrEqual(80);
      } finally {
        verify.mockRestore();
      }

      // With no burst running, the right password from a new device gets in, within the cap.
      const later = await attempt(request.agent(app), TEST_PASSWORD);
      expect(later.status).toBe(302);
      expect(later.ms).toBeLessThan(800 + 400);
    });

    it('takes the email and password from the form only: an address in the query string neither signs in nor escapes the slowing of guesses', async () => {
      await makeUser(t.platform, { email: 'ada@example.com' });
      const { app } = createApp(t.platform, { loginLimits: { ...limits, freeFailures: 1, baseDelayMs: 600, maxDelayMs: 2000 } });
      const attacker = request.agent(app);
      const _csrf = await csrfFrom(attacker, '/login');
      const viaQuery = await attacker.post('/login?email=ada%40example.com&password=x').type('form').send({ password: TEST_PASSWORD, _csrf });
      expect(viaQuery.status).toBe(401);
      const passwordInQuery = await attacker
        .post(`/login?password=${encodeURIComponent(TEST_PASSWORD)}`)
        .type('form')
        .send({ email: 'ada@example.com', _csrf });
      expect(passwordInQuery.status).toBe(401);
      // The try above counted against the account: the next guess from this device waits.
      const started = Date.now();
      expect((await attempt(attacker, 'wrong password!!')).status).toBe(401);
      expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    });

    it('does not accept a device cookie signed for another account', async () => {
      await makeUser(t.platform, { email: 'ada@example.com' });
      await makeUser(t.platform, { email: 'eve@example.com' });
      const { app } = createApp(t.platform, { loginLimits: { ...limits, freeFailures: 0, baseDelayMs: 600, maxDelayMs: 2000 } });
      const eve = request.agent(app);
      const _csrf = await csrfFrom(eve, '/login');
      expect((await eve.post('/login').type('form').send({ email: 'eve@example.com', password: TEST_PASSWORD, _csrf })).status).toBe(302);
      await postForm(eve, '/logout', {});
      // Eve's browser is known for eve, not for ada: guessing ada's password from it is slowed.
      expect((await attempt(eve, 'wrong password!!')).ms).toBeGreaterThanOrEqual(590);
    });
  });

  it('rate-limits sign-in per client address across accounts', async () => {
    const { app } = createApp(t.platform, { loginLimits: { freeFailures: 100, perIp: 2 } });
    const agent = request.agent(app);
    const token = await csrfFrom(agent, '/login');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (
          await agent
            .post('/login')
            .type('form')
            .send({ email: `u${i}@example.com`, password: 'wrong password!!', _csrf: token })
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('sends helmet security headers', async () => {
    const { app } = createApp(t.platform);
    const res = await request(app).get('/login');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Nothing leaks to other sites, and same-site form posts carry a real Origin for the CSRF check.
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });
});
