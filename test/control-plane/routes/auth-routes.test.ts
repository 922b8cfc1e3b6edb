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

/** Resolves once `done` holds, looking every few milliseconds (for requests under way to get somewhere). */
async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('waited in vain');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A clock for the sign-in throttle that stands still until the test moves it. */
function manualClock(start: number) {
  let now = start;
  const sleepers: Array<{ at: number; wake: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => void sleepers.push({ at: now + ms, wake: resolve })),
    sleepers,
    /**
     * Moves to each sleeper's time in turn and wakes it; with `progress` (a count of what a woken
     * one does), waits until it has moved on before the next, so each acts at its own time.
     */
    async wakeAll(progress?: () => number): Promise<void> {
      sleepers.sort((a, b) => a.at - b.at);
      while (sleepers.length) {
        const next = sleepers.shift()!;
        const before = progress?.() ?? 0;
        now = next.at;
        next.wake();
        if (progress) await until(() => progress() > before);
      }
    },
  };
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
      // The throttle's time is the test's: it moves only when moved, however loaded the machine.
      const clock = manualClock(1_000_000);
      const { app } = createApp(t.platform, { loginLimits: { ...limits, baseDelayMs: 100, maxDelayMs: 800, clock } });
      const owner = request.agent(app);
      expect((await attempt(owner, TEST_PASSWORD)).status).toBe(302);
      await postForm(owner, '/logout', {});
      const ownerToken = await csrfFrom(owner, '/login');
      const checks: { at: number; password: string }[] = [];
      const original = passwordHasher.verifyPassword;
      const verify = jest.spyOn(passwordHasher, 'verifyPassword').mockImplementation((hash, password) => {
        checks.push({ at: clock.now(), password });
        return original(hash, password);
      });
      try {
        const attacker = request.agent(app);
        const _csrf = await csrfFrom(attacker, '/login');
        const answered: request.Response[] = [];
        // Sent at once (then() starts each request), all at the same moment on the throttle's clock.
        const burst = Array.from({ length: 12 }, () =>
          attacker
            .post('/login')
            .type('form')
            .send({ email: 'ada@example.com', password: 'wrong password!!', _csrf })
            .then((res) => (answered.push(res), res)),
        );
        // Each one answered or waiting its turn: 3 free guesses checked at once, 3 waiting, the other 6 refused.
        await until(() => answered.length + clock.sleepers.length === 12);
        expect(clock.sleepers.map((s) => s.at - clock.now())).toEqual([100, 300, 700]);

        // The owner's browser signed in to the account before: neither refused nor queued behind the burst.
        const own = await owner.post('/login').type('form').send({ email: 'ada@example.com', password: TEST_PASSWORD, _csrf: ownerToken });
        expect(own.status).toBe(302);
        expect(clock.sleepers).toHaveLength(3);

        // Their turns come: each is checked then, and only then.
        await clock.wakeAll(() => checks.length);
        const answers = await Promise.all(burst);
        const refused = answers.filter((res) => res.status === 429);
        expect(answers.filter((res) => res.status === 401)).toHaveLength(6);
        expect(refused).toHaveLength(6);
        for (const res of refused) {
          expect(res.headers['retry-after']).toBe('1');
          expect(res.text).toContain('Too many sign-in attempts for this account from new devices; try again in 1 second.');
          expect(res.text).toContain('value="ada@example.com"');
        }
        // Past the free ones, no two guesses are checked together: each one's delay after the one before.
        const guesses = checks.filter((c) => c.password === 'wrong password!!').map((c) => c.at - 1_000_000);
        expect(guesses).toEqual([0, 0, 0, 100, 300, 700]);
      } finally {
        verify.mockRestore();
        // Nothing left waiting when an expectation failed.
        await clock.wakeAll();
      }

      // With no burst running, the right password from a new device gets in, after a wait within the cap.
      const later = attempt(request.agent(app), TEST_PASSWORD);
      await until(() => clock.sleepers.length === 1);
      const waited = clock.sleepers[0].at - clock.now();
      await clock.wakeAll();
      expect(waited).toBe(800);
      expect((await later).status).toBe(302);
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

  it('shows the sign-in form again past the limit per client address, with the reason and when to try again, the address typed kept and not the password', async () => {
    const { app } = createApp(t.platform, { loginLimits: { freeFailures: 100, perIp: 1 } });
    const agent = request.agent(app);
    const _csrf = await csrfFrom(agent, '/login');
    expect((await agent.post('/login').type('form').send({ email: 'u@example.com', password: 'wrong password!!', _csrf })).status).toBe(401);
    const failures = t.platform.db.all("select * from audit_events where action = 'auth.login_failed'");
    const res = await agent.post('/login').type('form').send({ email: 'ada@example.com', password: 'wrong password!!', next: '/account', _csrf });
    expect([res.status, res.headers['retry-after']]).toEqual([429, expect.stringMatching(/^\d+$/)]);
    expect(res.text).toContain('<h1>Sign in</h1>');
    expect(res.text).toContain('Too many sign-in attempts from your network. Try again in 15 minutes.');
    expect(res.text).toMatch(/<input id="email" name="email" type="email"\s+value="ada@example.com"/);
    expect(res.text).toContain('<input type="hidden" name="next" value="/account">');
    expect(res.text).not.toContain('wrong password!!');
    expect(t.platform.db.all("select * from audit_events where action = 'auth.login_failed'")).toEqual(failures);
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
