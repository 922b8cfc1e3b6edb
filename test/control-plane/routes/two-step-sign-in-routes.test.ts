import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { csrfFrom, signIn, type Agent } from '../../support/http-agent';
import { codeFor, nextCodeFor, turnOnTwoStep } from '../../support/two-step';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { PENDING_MAX_AGE_MS } from '../../../control-plane/two-step/pending-sign-in';
import { TwoStepRepository } from '../../../control-plane/two-step/two-step-repository';
import { newInvitationToken } from '../../../control-plane/invitations/invitation-token';
import { PasswordResetRepository } from '../../../control-plane/password-reset/password-reset-repository';
import { resetPassword } from '../../../control-plane/password-reset/reset-password';
import { SessionRepository } from '../../../control-plane/auth/session-repository';

const NEW_PASSWORD = 'a brand new passphrase';

describe('signing in with two-step sign-in on', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alice: UserRecord;
  let key: string;
  let recoveryCodes: string[];

  const auditOf = (action: string) =>
    t.platform.db.connection().prepare('select * from audit_events where action = ? order by id').all(action) as Array<Record<string, string | number | null>>;

  /** The password step from a new browser: it ends on the code page, not signed in. */
  async function passwordStep(options: { next?: string } = {}, password = TEST_PASSWORD): Promise<Agent> {
    const browser = request.agent(app);
    const _csrf = await csrfFrom(browser, '/login');
    const res = await browser
      .post('/login')
      .type('form')
      .send({ email: alice.email, password, _csrf, ...options });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login\/code/);
    return browser;
  }

  async function sendCode(browser: Agent, code: string, extra: Record<string, string> = {}) {
    const _csrf = await csrfFrom(browser, '/login/code');
    return browser
      .post('/login/code')
      .type('form')
      .send({ code, _csrf, ...extra });
  }

  beforeEach(async () => {
    t = await createTestPlatform();
    // The per-account throttle lets every guess through at once: the per-address limit is the one tried here.
    app = createApp(t.platform, { loginLimits: { perIp: 12, freeFailures: 100 } }).app;
    alice = await makeUser(t.platform, { email: 'alice@example.com', name: 'Alice' });
    await addMember(t.platform, alice, await makeTenant(t.platform, 'alpha', 'Alpha Studio'), 'owner');
    ({ key, recoveryCodes } = await turnOnTwoStep(await signIn(app, alice.email)));
  });
  afterEach(() => t.cleanup());

  it('asks for a code after the right password, and signs in with a right one under a new session id', async () => {
    const browser = await passwordStep({ next: '/account' });
    const page = await browser.get('/login/code?next=%2Faccount');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="code"');
    const cookie = () => browser.jar.getCookie('tenantry.sid', { path: '/', domain: '127.0.0.1', secure: false, script: false })?.value;
    const visitor = cookie();
    const res = await sendCode(browser, nextCodeFor(key), { next: '/account' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/account');
    expect(cookie()).not.toBe(visitor);
    expect((await browser.get('/account')).status).toBe(200);
    expect(auditOf('auth.login').at(-1)).toMatchObject({ actor_user_id: alice.id, after: JSON.stringify({ twoStep: 'code' }) });
  });

  it('opens nothing while only the password was given: the account page, a workspace page and the API treat the browser as signed out', async () => {
    const browser = await passwordStep();
    const account = await browser.get('/account');
    expect(account.status).toBe(302);
    expect(account.headers.location).toMatch(/^\/login/);
    expect((await browser.get('/t/alpha/items')).status).toBe(302);
    expect((await browser.get('/api/v1/context').set('Accept', 'application/json')).status).toBe(401);
    expect((await browser.get('/api/v1/t/alpha/items').set('Accept', 'application/json')).status).toBe(401);
    expect(t.platform.db.get('select count(*) as n from sessions where user_id = ?', [alice.id])).toEqual({ n: 1 });
  });

  it('refuses a wrong code, records the refusal without the code, and stays signed out', async () => {
    const browser = await passwordStep();
    const wrong = codeFor(key) === '000000' ? '111111' : '000000';
    const res = await sendCode(browser, wrong);
    expect(res.status).toBe(401);
    expect(res.text).toContain('aria-invalid="true"');
    expect((await browser.get('/account')).status).toBe(302);
    const refused = auditOf('auth.two_step_refused');
    expect(refused).toHaveLength(1);
    expect(JSON.stringify(refused)).not.toContain(wrong);
  });

  it('refuses a code already used in its time step (replay)', async () => {
    const code = nextCodeFor(key);
    expect((await sendCode(await passwordStep(), code)).status).toBe(302);
    const again = await sendCode(await passwordStep(), code);
    expect(again.status).toBe(401);
  });

  it('refuses the code once the pending state is older than 5 minutes', async () => {
    const browser = await passwordStep();
    const realNow = Date.now;
    const later = realNow() + PENDING_MAX_AGE_MS + 1000;
    jest.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      const res = await sendCode(browser, codeFor(key, later));
      expect(res.status).toBe(401);
      expect(res.text).toContain('5 minutes');
    } finally {
      jest.restoreAllMocks();
    }
    expect((await browser.get('/account')).status).toBe(302);
  });

  it('does not accept the pending state in another browser', async () => {
    const browser = await passwordStep();
    const pending = (await browser.get('/login/code')).status;
    expect(pending).toBe(200);
    const other = request.agent(app);
    const _csrf = await csrfFrom(other, '/login');
    const cookie = browser.jar.getCookie('tenantry.two-step', { path: '/login/code', domain: '127.0.0.1', secure: false, script: false });
    expect(cookie).toBeDefined();
    const res = await other
      .post('/login/code')
      .set('Cookie', `tenantry.two-step=${cookie?.value}`)
      .type('form')
      .send({ code: nextCodeFor(key), _csrf });
    expect([401, 403]).toContain(res.status);
  });

  it('signs in with a recovery code once, and refuses the same code the second time', async () => {
    const res = await sendCode(await passwordStep(), recoveryCodes[0].toUpperCase());
    expect(res.status).toBe(302);
    expect(auditOf('auth.two_step_recovery_used')).toHaveLength(1);
    expect(JSON.stringify(auditOf('auth.two_step_recovery_used'))).not.toContain(recoveryCodes[0]);
    expect((await sendCode(await passwordStep(), recoveryCodes[0])).status).toBe(401);
  });

  it('refuses the code form without its CSRF token', async () => {
    const browser = await passwordStep();
    const res = await browser
      .post('/login/code')
      .type('form')
      .send({ code: nextCodeFor(key) });
    expect(res.status).toBe(403);
    expect((await browser.get('/account')).status).toBe(302);
  });

  it('counts wrong codes against the per-address limit: past it the code form comes back with the 429', async () => {
    const browser = await passwordStep();
    let last = 0;
    for (let i = 0; i < 12 && last !== 429; i++) last = (await sendCode(browser, '000000')).status;
    expect(last).toBe(429);
    const res = await sendCode(browser, nextCodeFor(key));
    expect(res.status).toBe(429);
    expect(res.text).toContain('action="/login/code"');
  });

  it('asks for the code after a password reset too: a reset neither turns it off nor skips it', async () => {
    const { token, hash } = newInvitationToken();
    new PasswordResetRepository(t.platform.db).insert({ user_id: alice.id, token_hash: hash, created_at: Date.now(), expires_at: Date.now() + 60_000 });
    await resetPassword(
      t.platform,
      new SessionRepository(t.platform.db),
      token,
      { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD },
      { ip: null, userAgent: null },
    );
    await passwordStep({}, NEW_PASSWORD);
    expect(new TwoStepRepository(t.platform.db).isOn(alice.id)).toBe(true);
  });
});
