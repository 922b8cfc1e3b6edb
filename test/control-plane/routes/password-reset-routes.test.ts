import fs from 'node:fs';
import { linesInto } from '../../support/log-lines';
import path from 'node:path';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { createLogger } from '../../../core/logging/logger';
import { outboxDir } from '../../../core/mail/mailer';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { csrfFrom, signIn } from '../../support/http-agent';
import { auditOf } from '../../support/team';
import { fieldsOf, sessionCount } from '../../support/accounts';
import { hashInvitationToken } from '../../../control-plane/invitations/invitation-token';
import type { UserRecord } from '../../../control-plane/users/user-record';
import type { PasswordResetLimitOptions } from '../../../control-plane/auth/password-reset-limits';
import { changeUserStatus } from '../../../control-plane/users/change-user-status';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';

const NEW_PASSWORD = 'a fresh and long passphrase';

describe('password reset by email', () => {
  let t: TestPlatform;
  let parts: ReturnType<typeof createApp>;
  let alice: UserRecord;
  const logLines: string[] = [];

  const build = (limits: PasswordResetLimitOptions = { perIp: 1000, perEmail: 1000 }) =>
    createApp(t.platform, { passwordResetLimits: limits, tokenEndpointLimit: 1000 });

  /** Asks for a link like a browser, then waits for the mail work done after the answer. */
  async function ask(email: string, app = parts) {
    const browser = request.agent(app.app);
    const _csrf = await csrfFrom(browser, '/password/forgot');
    const res = await browser.post('/password/forgot').type('form').send({ email, _csrf });
    await app.background.idle();
    return res;
  }

  const mails = () =>
    fs.existsSync(outboxDir(t.dataDir))
      ? fs.readdirSync(outboxDir(t.dataDir)).map((f) => fs.readFileSync(path.join(outboxDir(t.dataDir), f), 'utf8').replace(/=\n/g, ''))
      : [];
  const linkIn = (mail: string) => /http:\/\/localhost:3000(\/password\/reset\/[A-Za-z0-9_-]{43})/.exec(mail)?.[1] ?? '';

  async function choose(linkPath: string, password = NEW_PASSWORD, confirm = password, app = parts) {
    const browser = request.agent(app.app);
    const page = await browser.get(linkPath);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? (await csrfFrom(browser, '/login'));
    return browser.post(linkPath).type('form').send({ password, password_confirm: confirm, _csrf });
  }

  beforeEach(async () => {
    logLines.length = 0;
    t = await createTestPlatform({}, { logger: createLogger('info', linesInto(logLines)) });
    alice = await makeUser(t.platform, { email: 'alice@example.com', name: 'Alice' });
    await addMember(t.platform, alice, await makeTenant(t.platform, 'acme'));
    parts = build();
  });
  afterEach(() => t.cleanup());

  it('is linked from the sign-in page', async () => {
    const res = await request(parts.app).get('/login');
    expect(res.text).toContain('href="/password/forgot"');
    expect((await request(parts.app).get('/password/forgot')).status).toBe(200);
  });

  it('gives the same answer whether the address has an account or not, and mails only the account', async () => {
    const known = await ask('Alice@Example.com');
    const unknown = await ask('nobody@example.com');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const strip = (html: string, email: string) => html.replace(email, 'EMAIL').replace(/name="_csrf" value="[^"]+"/g, '');
    expect(strip(known.text, 'alice@example.com')).toBe(strip(unknown.text, 'nobody@example.com'));
    const sent = mails();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('To: alice@example.com');
    expect(linkIn(sent[0])).not.toBe('');
  });

  it('answers before the link is made and mailed, so an existing address takes no longer to answer', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const send = t.platform.mailer.send.bind(t.platform.mailer);
    t.platform.mailer.send = async (message) => {
      await held;
      return send(message);
    };
    const browser = request.agent(parts.app);
    const _csrf = await csrfFrom(browser, '/password/forgot');
    const res = await browser.post('/password/forgot').type('form').send({ email: 'alice@example.com', _csrf });
    expect(res.status).toBe(200);
    expect(mails()).toHaveLength(0);
    release();
    await parts.background.idle();
    expect(mails()).toHaveLength(1);
  });

  it('stores only a hash of a 256-bit token and records the request without it', async () => {
    await ask('alice@example.com');
    const token = linkIn(mails()[0]).split('/').pop() ?? '';
    expect(token).toHaveLength(43);
    const row = t.platform.db.connection().prepare('select * from password_resets').get() as { token_hash: string; expires_at: number; created_at: number };
    expect(row.token_hash).toBe(hashInvitationToken(token));
    expect(row.expires_at - row.created_at).toBe(60 * 60_000);
    const [entry] = auditOf(t.platform, 'account.password_reset_request');
    expect(entry).toMatchObject({ target_id: alice.id, actor_user_id: null });
    expect(JSON.stringify(entry)).not.toContain(token);
  });

  it('sets the new password through the link, ends every session of the account, and works once', async () => {
    const laptop = await signIn(parts.app, alice.email);
    await signIn(parts.app, alice.email);
    expect(sessionCount(t.platform, alice.id)).toBe(2);
    await ask('alice@example.com');
    const link = linkIn(mails()[0]);
    const res = await choose(link);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?reset=done');
    expect(sessionCount(t.platform, alice.id)).toBe(0);
    expect((await laptop.get('/t/acme')).status).toBe(302);
    await expect(signIn(parts.app, alice.email, TEST_PASSWORD)).rejects.toThrow(': 401');
    await expect(signIn(parts.app, alice.email, NEW_PASSWORD)).resolves.toBeDefined();
    expect((await request(parts.app).get('/login?reset=done')).text).toContain('Your password was changed');
    expect(JSON.parse(auditOf(t.platform, 'account.password_reset')[0].after ?? '{}')).toEqual({ sessionsEnded: 2 });

    const again = await choose(link, 'yet another long passphrase');
    expect(again.status).toBe(410);
    await expect(signIn(parts.app, alice.email, NEW_PASSWORD)).resolves.toBeDefined();
  });

  it('refuses a link past its expiry (410), changing nothing', async () => {
    await ask('alice@example.com');
    t.platform.db
      .connection()
      .prepare('update password_resets set expires_at = ?')
      .run(Date.now() - 1);
    const hash = t.platform.users.findById(alice.id)?.password_hash;
    expect((await request(parts.app).get(linkIn(mails()[0]))).status).toBe(410);
    expect((await choose(linkIn(mails()[0]))).status).toBe(410);
    expect(t.platform.users.findById(alice.id)?.password_hash).toBe(hash);
  });

  it('kills the older link when a newer one is asked for', async () => {
    await ask('alice@example.com');
    const first = linkIn(mails()[0]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await ask('alice@example.com');
    const second = mails()
      .map(linkIn)
      .find((l) => l !== first) as string;
    expect((await choose(first)).status).toBe(410);
    expect((await choose(second)).status).toBe(303);
  });

  it('sends nothing to a disabled account, and its old link stops working', async () => {
    await ask('alice@example.com');
    const link = linkIn(mails()[0]);
    t.platform.users.setStatus(alice.id, 'disabled');
    await ask('alice@example.com');
    expect(mails()).toHaveLength(1);
    expect((await choose(link)).status).toBe(410);
  });

  it('spends an unused link when the password is changed on the account page, and when the account is disabled, for good', async () => {
    await ask('alice@example.com');
    const beforeChange = linkIn(mails()[0]);
    const signedIn = await signIn(parts.app, alice.email);
    const _csrf = await csrfFrom(signedIn, '/account');
    const changed = await signedIn
      .post('/account/password')
      .type('form')
      .send({ current_password: TEST_PASSWORD, new_password: NEW_PASSWORD, new_password_confirm: NEW_PASSWORD, _csrf });
    expect(changed.status).toBe(303);
    expect((await choose(beforeChange, 'an attacker password')).status).toBe(410);

    await ask('alice@example.com');
    const beforeDisable = linkIn(mails()[1]);
    // Alice owns acme alone: a second owner lets her account be disabled without forcing it.
    await addMember(t.platform, await makeUser(t.platform), t.platform.tenants.findBySlug('acme') as TenantRecord, 'owner');
    changeUserStatus(t.platform, { destroyAllForUser: () => 0 }, alice.id, 'disabled', CLI_OPERATOR);
    changeUserStatus(t.platform, { destroyAllForUser: () => 0 }, alice.id, 'active', CLI_OPERATOR);
    expect((await choose(beforeDisable, 'an attacker password')).status).toBe(410);
  });

  it.each([
    ['a short password', 'short', 'short', 'New password'],
    ['a confirmation that differs', NEW_PASSWORD, 'something else entirely', 'New password again'],
  ])('refuses %s with 400 naming the field, and leaves the link usable', async (_label, password, confirm, field) => {
    await ask('alice@example.com');
    const link = linkIn(mails()[0]);
    const res = await choose(link, password, confirm);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.text)).toEqual([field]);
    expect((await choose(link)).status).toBe(303);
  });

  it.each(['/password/reset/short', `/password/reset/${'A'.repeat(43)}`, '/password/reset/%E0%A4%A', `/password/reset/${'x'.repeat(43)}%00`])(
    'answers 404 (or 400 for a broken escape) for the unknown or malformed link %s, never a 500',
    async (link) => {
      expect((await request(parts.app).get(link)).status).toBe(link.includes('%A4%A') ? 400 : 404);
    },
  );

  it.each([
    ['a malformed address', 'not-an-email'],
    ['no address', ''],
  ])('refuses %s with 400 on the email field, mailing nothing', async (_label, email) => {
    const res = await ask(email);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.text)).toEqual(['Email']);
    expect(mails()).toHaveLength(0);
  });

  it('limits requests per address, whatever the answer would be', async () => {
    const limited = build({ perEmail: 2, perIp: 1000 });
    for (let i = 0; i < 2; i++) expect((await ask('nobody@example.com', limited)).status).toBe(200);
    expect((await ask('NOBODY@example.com', limited)).status).toBe(429);
    expect((await ask('alice@example.com', limited)).status).toBe(200);
  });

  it('limits requests per client address', async () => {
    const limited = build({ perEmail: 1000, perIp: 2 });
    expect((await ask('one@example.com', limited)).status).toBe(200);
    expect((await ask('two@example.com', limited)).status).toBe(200);
    const res = await ask('alice@example.com', limited);
    expect(res.status).toBe(429);
    expect(mails()).toHaveLength(0);
  });

  it('shows the request form again past a limit, with the reason, when to try again, the 429, its Retry-After and the address typed', async () => {
    const limited = build({ perEmail: 1, perIp: 1000 });
    expect((await ask('alice@example.com', limited)).status).toBe(200);
    const sent = mails().length;
    const res = await ask('alice@example.com', limited);
    expect([res.status, res.headers['retry-after']]).toEqual([429, expect.stringMatching(/^\d+$/)]);
    expect(res.text).toContain('<h1>Reset your password</h1>');
    expect(res.text).toContain('Too many password reset requests for this address: check your inbox. Try again in 60 minutes.');
    expect(res.text).toMatch(/<input id="email" name="email" type="email"\s+value="alice@example.com"/);
    expect(mails()).toHaveLength(sent);
  });

  it("shows a link's form again past the limit on links, the passwords typed not put back, without looking the link up, and changes nothing", async () => {
    const limited = createApp(t.platform, { passwordResetLimits: { perIp: 1000, perEmail: 1000 }, tokenEndpointLimit: 1 });
    await ask('alice@example.com');
    const link = linkIn(mails()[0]);
    const before = t.platform.users.findById(alice.id);
    const browser = request.agent(limited.app);
    expect((await browser.get(link)).status).toBe(200);
    const _csrf = await csrfFrom(browser, '/login');
    for (const target of [link, '/password/reset/not-a-link']) {
      const res = await browser.post(target).type('form').send({ password: NEW_PASSWORD, password_confirm: NEW_PASSWORD, _csrf });
      expect([res.status, res.headers['retry-after']]).toEqual([429, expect.stringMatching(/^\d+$/)]);
      expect(res.text).toContain('<h1>Choose a new password</h1>');
      expect(res.text).toContain(`action="${target}"`);
      expect(res.text).toContain('Too many attempts. Try again in 15 minutes.');
      expect(res.text).not.toContain(NEW_PASSWORD);
    }
    expect(t.platform.users.findById(alice.id)).toEqual(before);
  });

  it("mails the link in the language the page was shown in when the account chose none, and in the account's own otherwise", async () => {
    const askIn = async (email: string, language: string) => {
      const browser = request.agent(parts.app).set('Accept-Language', language);
      const _csrf = await csrfFrom(browser, '/password/forgot');
      expect((await browser.post('/password/forgot').type('form').send({ email, _csrf })).text).toContain('<html lang="fr"');
      await parts.background.idle();
    };
    await askIn('alice@example.com', 'fr-FR,fr;q=0.9');
    expect(mails()[0]).toMatch(/^Subject: =\?UTF-8\?Q\?R=C3=A9initialiser/m);
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    t.platform.users.update(alice.id, { language: 'en' });
    await askIn('alice@example.com', 'fr');
    expect(mails()[0]).toMatch(/^Subject: Reset your password$/m);
  });

  it('never writes the token to the log', async () => {
    await ask('alice@example.com');
    const link = linkIn(mails()[0]);
    await request(parts.app).get(link);
    await choose(link);
    const token = link.split('/').pop() ?? '';
    const log = logLines.join('');
    expect(log).toContain('/password/reset/[token]');
    expect(log).not.toContain(token);
    expect(log).not.toContain(NEW_PASSWORD);
  });
});
