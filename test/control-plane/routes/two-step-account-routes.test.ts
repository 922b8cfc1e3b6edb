import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeUser, TEST_PASSWORD } from '../../support/factories';
import { csrfFrom, signIn, type Agent } from '../../support/http-agent';
import { codeFor, forgetAcceptedSteps, keyOnPage, turnOnTwoStep } from '../../support/two-step';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { TwoStepRepository } from '../../../control-plane/two-step/two-step-repository';

describe("the account page's two-step sign-in", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alice: UserRecord;
  let bob: UserRecord;
  let agent: Agent;

  const twoStep = () => new TwoStepRepository(t.platform.db);
  const auditOf = (action: string) =>
    t.platform.db.connection().prepare('select * from audit_events where action = ? order by id').all(action) as Array<Record<string, string | number | null>>;

  async function post(who: Agent, path: string, body: Record<string, string>) {
    const _csrf = await csrfFrom(who, '/account');
    return who
      .post(path)
      .type('form')
      .send({ ...body, _csrf });
  }

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    alice = await makeUser(t.platform, { email: 'alice@example.com', name: 'Alice' });
    bob = await makeUser(t.platform, { email: 'bob@example.com', name: 'Bob' });
    agent = await signIn(app, alice.email);
  });
  afterEach(() => t.cleanup());

  it('turns on with the password and a code computed from the key the page shows, and shows 10 recovery codes once, stored hashed', async () => {
    const { key, recoveryCodes } = await turnOnTwoStep(agent);
    expect(twoStep().isOn(alice.id)).toBe(true);
    expect(recoveryCodes).toHaveLength(10);
    const stored = JSON.stringify(t.platform.db.all('select * from two_step_recovery_codes'));
    for (const code of recoveryCodes) expect(stored).not.toContain(code);
    // The key is sealed: neither it nor the codes are in the database, the trail or the log.
    const dump = JSON.stringify(t.platform.db.all('select user_id, hex(ciphertext) as c, key_id from two_step_keys'));
    expect(dump).not.toContain(key);
    expect(JSON.stringify(t.platform.db.all('select * from audit_events'))).not.toContain(key);
    expect(auditOf('account.two_step_on')).toHaveLength(1);
    expect((await agent.get('/account')).text).toContain('Recovery codes left: 10');
  });

  it('refuses a wrong code or a wrong password at enrolment, naming the field, and stays off', async () => {
    const _csrf = await csrfFrom(agent, '/account');
    await agent.post('/account/two-step/start').type('form').send({ _csrf });
    const key = keyOnPage((await agent.get('/account/two-step/enrol')).text);
    const wrongCode = await post(agent, '/account/two-step/enable', { two_step_password: TEST_PASSWORD, two_step_code: '12345' });
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.text).toContain('two_step_code-error');
    const wrongPassword = await post(agent, '/account/two-step/enable', { two_step_password: 'not it at all', two_step_code: codeFor(key) });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.text).toContain('two_step_password-error');
    expect(twoStep().isOn(alice.id)).toBe(false);
  });

  it('turns off with the password and a code, recorded', async () => {
    const { key } = await turnOnTwoStep(agent);
    forgetAcceptedSteps(t.platform, alice.id);
    const res = await post(agent, '/account/two-step/off', { two_step_password: TEST_PASSWORD, two_step_code: codeFor(key) });
    expect(res.status).toBe(303);
    expect(twoStep().isOn(alice.id)).toBe(false);
    expect(auditOf('account.two_step_off')[0]).toMatchObject({ actor_user_id: alice.id, target_id: alice.id });
  });

  it('turns off with a recovery code instead of a code', async () => {
    const { recoveryCodes } = await turnOnTwoStep(agent);
    const res = await post(agent, '/account/two-step/off', { two_step_password: TEST_PASSWORD, two_step_code: recoveryCodes[3] });
    expect(res.status).toBe(303);
    expect(twoStep().isOn(alice.id)).toBe(false);
  });

  it('does not turn off without the right password or with a wrong code', async () => {
    const { key } = await turnOnTwoStep(agent);
    forgetAcceptedSteps(t.platform, alice.id);
    expect((await post(agent, '/account/two-step/off', { two_step_password: 'wrong password!', two_step_code: codeFor(key) })).status).toBe(400);
    expect((await post(agent, '/account/two-step/off', { two_step_password: TEST_PASSWORD, two_step_code: '000000x' })).status).toBe(400);
    expect(twoStep().isOn(alice.id)).toBe(true);
  });

  it('replaces the recovery codes: the old ones stop working', async () => {
    const { key, recoveryCodes } = await turnOnTwoStep(agent);
    forgetAcceptedSteps(t.platform, alice.id);
    const res = await post(agent, '/account/two-step/recovery-codes', { two_step_password: TEST_PASSWORD, two_step_code: codeFor(key) });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(auditOf('account.two_step_recovery_codes')).toHaveLength(1);
    const old = await post(agent, '/account/two-step/off', { two_step_password: TEST_PASSWORD, two_step_code: recoveryCodes[0] });
    expect(old.status).toBe(400);
  });

  it('refuses every two-step form without its CSRF token', async () => {
    await turnOnTwoStep(agent);
    for (const path of ['/account/two-step/start', '/account/two-step/enable', '/account/two-step/off', '/account/two-step/recovery-codes']) {
      const res = await agent.post(path).type('form').send({ two_step_password: TEST_PASSWORD, two_step_code: '123456' });
      expect(res.status).toBe(403);
    }
    expect(twoStep().isOn(alice.id)).toBe(true);
  });

  it("lets nobody act on another person's enrolment: Bob's forms change only Bob's account", async () => {
    const { key } = await turnOnTwoStep(agent);
    const bobAgent = await signIn(app, bob.email);
    forgetAcceptedSteps(t.platform, alice.id);
    // Bob sends Alice's code with his password, naming her in a field: his own account is the one asked about.
    const res = await post(bobAgent, '/account/two-step/off', { two_step_password: TEST_PASSWORD, two_step_code: codeFor(key), user_id: alice.id });
    expect(res.status).toBe(409);
    expect(twoStep().isOn(alice.id)).toBe(true);
    expect((await bobAgent.get('/account/two-step/enrol')).status).toBe(303);
  });

  it('asks a signed-out visitor to sign in', async () => {
    const res = await request(app).get('/account/two-step/enrol');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});
