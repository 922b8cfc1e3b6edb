import request from 'supertest';
import { linesInto } from '../../support/log-lines';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { createLogger } from '../../../core/logging/logger';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { csrfFrom, signIn, type Agent } from '../../support/http-agent';
import { auditOf } from '../../support/team';
import { fieldsOf } from '../../support/accounts';
import { outboxMails } from '../../support/outbox';
import { hashInvitationToken } from '../../../control-plane/invitations/invitation-token';
import type { EmailChangeLimitOptions } from '../../../control-plane/auth/email-change-limits';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { changeUserStatus } from '../../../control-plane/users/change-user-status';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';

const LINK = /http:\/\/localhost:3000(\/email\/confirm\/[A-Za-z0-9_-]{43})/;

describe('changing the email address of one’s account', () => {
  let t: TestPlatform;
  let parts: ReturnType<typeof createApp>;
  let alice: UserRecord;
  let bob: UserRecord;
  let signedIn: Agent;
  const logLines: string[] = [];

  const build = (limits: EmailChangeLimitOptions = { perAccount: 1000, perEmail: 1000 }) =>
    createApp(t.platform, { emailChangeLimits: limits, tokenEndpointLimit: 1000, passwordResetLimits: { perIp: 1000, perEmail: 1000 } });

  /** Sends the account page's "Change email" form from a signed-in browser. */
  async function ask(who: Agent, newEmail: string, password = TEST_PASSWORD) {
    const _csrf = await csrfFrom(who, '/account');
    return who.post('/account/email').type('form').send({ new_email: newEmail, password, _csrf });
  }

  /** Opens the link's page and presses its button, in the given browser (a new signed-out one by default). */
  async function confirm(linkPath: string, who: Agent = request.agent(parts.app)) {
    const page = await who.get(linkPath);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? (await csrfFrom(who, '/login'));
    return who.post(linkPath).type('form').send({ _csrf });
  }

  const mails = () => outboxMails(t.dataDir);
  const linkTo = (address: string) => LINK.exec(mails().find((m) => m.to === address)?.text ?? '')?.[1] ?? '';
  const emailOf = (user: UserRecord) => t.platform.users.findById(user.id)?.email;
  const changeRows = () => t.platform.db.connection().prepare('select * from email_changes order by id').all() as Array<Record<string, unknown>>;

  beforeEach(async () => {
    logLines.length = 0;
    t = await createTestPlatform({}, { logger: createLogger('info', linesInto(logLines)) });
    const acme = await makeTenant(t.platform, 'acme');
    alice = await makeUser(t.platform, { email: 'alice@example.com', name: 'Alice' });
    bob = await makeUser(t.platform, { email: 'bob@example.com', name: 'Bob' });
    await addMember(t.platform, alice, acme);
    parts = build();
    signedIn = await signIn(parts.app, alice.email);
  });
  afterEach(() => t.cleanup());

  it('mails a link to the new address and a notice to the old one, and changes the address only once the link is followed', async () => {
    const asked = await ask(signedIn, ' Alice.New@Example.COM ');
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe('/account?done=email_sent');
    expect(emailOf(alice)).toBe('alice@example.com');
    const [notice, link] = mails();
    expect(notice.to).toBe('alice@example.com');
    expect(notice.text).toContain('alice.new@example.com');
    expect(notice.text).toContain('http://localhost:3000/account');
    expect(notice.text).not.toMatch(/\/email\/confirm\//);
    expect(link.to).toBe('alice.new@example.com');
    const linkPath = linkTo('alice.new@example.com');
    expect(linkPath).not.toBe('');
    expect((await signedIn.get('/account')).text).toContain('Waiting for confirmation: a link was mailed to alice.new@example.com');

    const token = linkPath.split('/').pop() as string;
    expect(changeRows()).toEqual([expect.objectContaining({ user_id: alice.id, new_email: 'alice.new@example.com', token_hash: hashInvitationToken(token) })]);
    const [row] = changeRows() as Array<{ created_at: number; expires_at: number }>;
    expect(row.expires_at - row.created_at).toBe(24 * 3600_000);
    expect(await signedIn.get(linkPath)).toMatchObject({ status: 200, text: expect.stringContaining('alice.new@example.com') });
    expect(emailOf(alice)).toBe('alice@example.com');
    const done = await confirm(linkPath, signedIn);
    expect(done.headers.location).toBe('/account?done=email');
    expect(emailOf(alice)).toBe('alice.new@example.com');
    expect((await signedIn.get('/account?done=email')).text).toMatch(/Your email address was changed\.(?![^]*Waiting for confirmation)/);

    await expect(signIn(parts.app, 'Alice.New@example.com')).resolves.toBeDefined();
    await expect(signIn(parts.app, 'alice@example.com')).rejects.toThrow(': 401');
    const [record] = auditOf(t.platform, 'account.email_change');
    expect(record).toMatchObject({ actor_user_id: alice.id, target_type: 'user', target_id: alice.id });
    expect(JSON.parse(record.before ?? '{}')).toEqual({ email: 'alice@example.com' });
    expect(JSON.parse(record.after ?? '{}')).toEqual({ email: 'alice.new@example.com' });
    // The link is never in the trail nor in a log line; the log shows where it was, masked.
    const trail = JSON.stringify(t.platform.db.connection().prepare('select * from audit_events').all());
    expect(trail).not.toContain(token);
    expect(logLines.join('')).not.toContain(token);
    expect(logLines.join('')).toContain('/email/confirm/[token]');
    expect((await confirm(linkPath, signedIn)).status).toBe(410);
  });

  it('changes the address through the link for someone signed out, who is then asked to sign in with it', async () => {
    await ask(signedIn, 'alice.new@example.com');
    expect((await confirm(linkTo('alice.new@example.com'))).headers.location).toBe('/login?email=changed');
    expect((await request(parts.app).get('/login?email=changed')).text).toContain('Sign in with the new address.');
    expect(emailOf(alice)).toBe('alice.new@example.com');
  });

  it('leaves the other sessions signed in, and spends a password reset link that went to the old address', async () => {
    const laptop = await signIn(parts.app, alice.email);
    const forgot = request.agent(parts.app);
    const _csrf = await csrfFrom(forgot, '/password/forgot');
    await forgot.post('/password/forgot').type('form').send({ email: alice.email, _csrf });
    await parts.background.idle();
    const reset = /\/password\/reset\/[A-Za-z0-9_-]{43}/.exec(mails()[0].text)?.[0] as string;
    await ask(signedIn, 'alice.new@example.com');
    expect((await confirm(linkTo('alice.new@example.com'))).status).toBe(303);
    expect((await laptop.get('/account')).status).toBe(200);
    expect((await request(parts.app).get(reset)).status).toBe(410);
  });

  it('refuses a wrong current password with 400 naming the field, mailing nothing and recording the attempt', async () => {
    const res = await ask(signedIn, 'alice.new@example.com', 'not my password at all');
    expect(res.status).toBe(400);
    expect(fieldsOf(res.text)).toEqual(['Current password']);
    expect(res.text).toContain('value="alice.new@example.com"');
    expect(mails()).toHaveLength(0);
    expect(changeRows()).toHaveLength(0);
    expect(auditOf(t.platform, 'account.email_change_failed')).toHaveLength(1);
  });

  it.each([
    ['a malformed address', 'not-an-email', 'must be a valid email address'],
    ['no address', '', 'must be a valid email address'],
    ['the current address, typed otherwise', 'ALICE@example.com', 'is already your email address'],
    ["another account's address, typed otherwise", ' Bob@Example.com', 'is already registered'],
  ])('refuses %s with 400 on the new address, mailing nothing', async (_label, address, reason) => {
    const res = await ask(signedIn, address);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.text)).toEqual(['New email address']);
    expect(res.text).toContain(reason);
    expect(mails()).toHaveLength(0);
    expect(changeRows()).toHaveLength(0);
  });

  it('answers 409 when the address was taken since the change was asked for, changing nothing', async () => {
    await ask(signedIn, 'alice.new@example.com');
    const linkPath = linkTo('alice.new@example.com');
    const carol = await makeUser(t.platform, { email: 'alice.new@example.com', name: 'Carol' });
    const res = await confirm(linkPath, signedIn);
    expect(res.status).toBe(409);
    expect(res.text).toContain('is now the address of another account');
    expect(emailOf(alice)).toBe('alice@example.com');
    expect(emailOf(carol)).toBe('alice.new@example.com');
    expect(changeRows()[0].used_at).toBeNull();
    expect(auditOf(t.platform, 'account.email_change')).toHaveLength(0);
  });

  it('refuses an expired link and a replaced one with 410, and a forged or malformed one with 404, changing nothing', async () => {
    await ask(signedIn, 'first@example.com');
    const first = linkTo('first@example.com');
    await ask(signedIn, 'second@example.com');
    const second = linkTo('second@example.com');
    expect((await request(parts.app).get(first)).status).toBe(410);
    expect((await confirm(first)).status).toBe(410);
    t.platform.db
      .connection()
      .prepare('update email_changes set expires_at = ?')
      .run(Date.now() - 1);
    expect((await request(parts.app).get(second)).status).toBe(410);
    expect((await confirm(second)).status).toBe(410);
    for (const forged of [`/email/confirm/${'A'.repeat(43)}`, '/email/confirm/short', `/email/confirm/${'x'.repeat(43)}%00`]) {
      expect((await request(parts.app).get(forged)).status).toBe(404);
      expect((await confirm(forged)).status).toBe(404);
    }
    expect(emailOf(alice)).toBe('alice@example.com');
    expect(auditOf(t.platform, 'account.email_change')).toHaveLength(0);
  });

  it('lets one of two confirmations sent at once win, the other answered 410, and changes the address once', async () => {
    await ask(signedIn, 'alice.new@example.com');
    const linkPath = linkTo('alice.new@example.com');
    const browsers = [request.agent(parts.app), signedIn];
    const tokens = await Promise.all(browsers.map(async (b) => /name="_csrf" value="([^"]+)"/.exec((await b.get(linkPath)).text)?.[1] ?? ''));
    const answers = await Promise.all(browsers.map((b, i) => b.post(linkPath).type('form').send({ _csrf: tokens[i] })));
    expect(answers.map((r) => r.status).sort()).toEqual([303, 410]);
    expect(emailOf(alice)).toBe('alice.new@example.com');
    expect(auditOf(t.platform, 'account.email_change')).toHaveLength(1);
  });

  it('gives two accounts asking for the same address one change: the second confirmation is refused with 409', async () => {
    const bobIn = await signIn(parts.app, bob.email);
    await ask(signedIn, 'shared@example.com');
    const alicesLink = linkTo('shared@example.com');
    await ask(bobIn, 'shared@example.com');
    const bobsLink = mails()
      .filter((m) => m.to === 'shared@example.com')
      .map((m) => LINK.exec(m.text)?.[1])
      .find((l) => l !== alicesLink) as string;
    expect((await confirm(alicesLink)).status).toBe(303);
    expect((await confirm(bobsLink)).status).toBe(409);
    expect([emailOf(alice), emailOf(bob)]).toEqual(['shared@example.com', 'bob@example.com']);
  });

  it("neither shows nor confirms someone else's request for a person signed in to another account (404), changing nothing", async () => {
    await ask(signedIn, 'alice.new@example.com');
    const linkPath = linkTo('alice.new@example.com');
    const bobIn = await signIn(parts.app, bob.email);
    const shown = await bobIn.get(linkPath);
    expect(shown.status).toBe(404);
    expect(shown.text).not.toContain('alice.new@example.com');
    const _csrf = await csrfFrom(bobIn, '/account');
    expect((await bobIn.post(linkPath).type('form').send({ _csrf })).status).toBe(404);
    expect((await bobIn.get('/account')).text).not.toContain('alice.new@example.com');
    expect([emailOf(alice), emailOf(bob)]).toEqual(['alice@example.com', 'bob@example.com']);
    expect(changeRows()[0].used_at).toBeNull();
  });

  it('refuses the form and the confirmation without their CSRF token (403), changing nothing', async () => {
    const forged = await signedIn.post('/account/email').type('form').send({ new_email: 'evil@example.com', password: TEST_PASSWORD });
    expect(forged.status).toBe(403);
    expect(changeRows()).toHaveLength(0);
    expect(mails()).toHaveLength(0);
    await ask(signedIn, 'alice.new@example.com');
    expect((await signedIn.post(linkTo('alice.new@example.com')).type('form').send({})).status).toBe(403);
    expect(emailOf(alice)).toBe('alice@example.com');
  });

  it('spends a pending change when the password is changed, as the notice tells the owner to do', async () => {
    await ask(signedIn, 'attacker@example.com');
    const _csrf = await csrfFrom(signedIn, '/account');
    const changed = await signedIn.post('/account/password').type('form').send({
      current_password: TEST_PASSWORD,
      new_password: 'a brand new passphrase',
      new_password_confirm: 'a brand new passphrase',
      _csrf,
    });
    expect(changed.status).toBe(303);
    expect((await confirm(linkTo('attacker@example.com'))).status).toBe(410);
    expect(emailOf(alice)).toBe('alice@example.com');
  });

  it('spends a pending change when the password is reset through a link to the old address, and when the account is disabled', async () => {
    await ask(signedIn, 'attacker@example.com');
    const forgot = request.agent(parts.app);
    const forgotCsrf = await csrfFrom(forgot, '/password/forgot');
    await forgot.post('/password/forgot').type('form').send({ email: alice.email, _csrf: forgotCsrf });
    await parts.background.idle();
    const reset = /\/password\/reset\/[A-Za-z0-9_-]{43}/.exec(mails().find((m) => m.text.includes('/password/reset/'))?.text ?? '')?.[0] as string;
    const _csrf = /name="_csrf" value="([^"]+)"/.exec((await forgot.get(reset)).text)?.[1];
    const done = await forgot.post(reset).type('form').send({ password: 'a brand new passphrase', password_confirm: 'a brand new passphrase', _csrf });
    expect(done.status).toBe(303);
    expect((await confirm(linkTo('attacker@example.com'))).status).toBe(410);

    signedIn = await signIn(parts.app, alice.email, 'a brand new passphrase');
    await ask(signedIn, 'other@example.com', 'a brand new passphrase');
    changeUserStatus(t.platform, { destroyAllForUser: () => 0 }, alice.id, 'disabled', CLI_OPERATOR, { force: true });
    changeUserStatus(t.platform, { destroyAllForUser: () => 0 }, alice.id, 'active', CLI_OPERATOR);
    expect((await confirm(linkTo('other@example.com'))).status).toBe(410);
    expect(emailOf(alice)).toBe('alice@example.com');
  });

  it('withdraws the request when a mail cannot be sent, saying so (503)', async () => {
    const send = t.platform.mailer.send.bind(t.platform.mailer);
    t.platform.mailer.send = async (message) => {
      if (message.to === 'alice.new@example.com') throw new Error('SMTP is down');
      return send(message);
    };
    const res = await ask(signedIn, 'alice.new@example.com');
    expect(res.status).toBe(503);
    expect(res.text).toContain('the request was withdrawn');
    expect(changeRows()[0].used_at).not.toBeNull();
  });

  it('limits requests per account, whatever the answer', async () => {
    parts = build({ perAccount: 2, perEmail: 1000 });
    signedIn = await signIn(parts.app, alice.email);
    expect((await ask(signedIn, 'one@example.com', 'a wrong password')).status).toBe(400);
    expect((await ask(signedIn, 'two@example.com')).status).toBe(303);
    const limited = await ask(signedIn, 'three@example.com');
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many requests to change the email address.');
    expect(mails().filter((m) => m.to === 'three@example.com')).toHaveLength(0);
  });

  it("mails in the account's own language", async () => {
    t.platform.users.update(alice.id, { language: 'fr' });
    await ask(signedIn, 'alice.new@example.com');
    const [notice, link] = mails();
    expect(notice.subject).toBe('Un changement de votre adresse e-mail a été demandé');
    expect(link.subject).toBe('Confirmez votre nouvelle adresse e-mail');
    expect(link.text).toContain('Confirmez la nouvelle adresse');
  });
});
