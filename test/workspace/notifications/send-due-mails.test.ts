import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { makeItem } from '../../support/content';
import { outboxDir } from '../../../core/mail/mailer';
import { outboxMails } from '../../support/outbox';
import { withTenantDb } from '../files/file-fixtures';
import { MailDispatcher } from '../../../workspace/notifications/mail-dispatcher';
import { endedMailGoesAt } from '../../../workspace/notifications/workflow-mail-queue';
import { runDoctor } from '../../../control-plane/doctor/run-doctor';
import { mailQueueCheck } from '../../../control-plane/doctor/mail-queue-check';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { changeUserStatus } from '../../../control-plane/users/change-user-status';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { startSmtpServer } from '../../support/smtp-server';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { restoreTenant } from '../../../control-plane/backups/restore-tenant';

/** A mail server that could not be reached, as nodemailer reports it. */
function unreachable(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ECONNECTION' });
}

describe('workflow mails while the mail server is down', () => {
  let t: TestPlatform;
  let parts: ReturnType<typeof createApp>;
  let acme: TenantRecord;
  let editor: UserRecord;
  let agents: Record<'editor' | 'approver' | 'approver2', Agent>;

  beforeEach(async () => {
    t = await createTestPlatform();
    parts = createApp(t.platform);
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    editor = await makeUser(t.platform, { email: 'editor@example.com', name: 'Editor' });
    await addMember(t.platform, editor, acme, 'editor');
    agents = { editor: await signIn(parts.app, editor.email) } as typeof agents;
    for (const who of ['approver', 'approver2'] as const) {
      const user = await makeUser(t.platform, { email: `${who}@example.com`, name: who });
      await addMember(t.platform, user, acme, 'approver');
      agents[who] = await signIn(parts.app, user.email);
    }
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    return t.cleanup();
  });

  const queued = () =>
    withTenantDb(t.platform, acme, (db) =>
      db.all<{ state: string; attempts: number; last_error: string | null }>('select state, attempts, last_error from workflow_mails order by id'),
    );
  /** The hint left once no mail waits: a visit when the first of those that ended unsent is to be deleted. */
  const deletionHint = async () => {
    const ended = await withTenantDb(t.platform, acme, (db) => db.get<{ at: number }>('select min(finished_at) as at from workflow_mails')?.at);
    return { next_due_at: endedMailGoesAt(ended ?? 0), waiting_since: null };
  };

  it("sends the mail once the server is back, once, in the member's language, to nobody who turned that mail off", async () => {
    expect((await postForm(agents.approver, '/account/language', { language: 'fr' }, '/account')).status).toBe(303);
    await postForm(agents.approver2, '/t/acme/notifications', { kinds: ['item_approved'] } as unknown as Record<string, string>, '/t/acme/notifications');
    const send = jest.spyOn(t.platform.mailer, 'send').mockRejectedValueOnce(unreachable());
    const item = await makeItem(t.platform, acme, { title: 'Spring post', createdBy: editor.id });
    expect((await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {})).status).toBe(303);
    await parts.background.idle();

    // The first send, right after the answer, met the server down: nothing went, the mail waits.
    expect(send).toHaveBeenCalledTimes(1);
    expect(outboxMails(t.dataDir)).toEqual([]);
    expect(await queued()).toEqual([{ state: 'pending', attempts: 1, last_error: 'ECONNECTION' }]);
    const hint = t.platform.mailHints.get(acme.id);
    expect(hint?.next_due_at).toBeGreaterThan(Date.now());

    // Not before its time; then sent, once, in French.
    const early = new MailDispatcher(t.platform, { now: () => Date.now() });
    expect(await early.tick()).toEqual([]);
    const later = new MailDispatcher(t.platform, { now: () => (hint?.next_due_at ?? 0) + 1 });
    expect(await later.tick()).toEqual([{ tenantId: acme.id, sent: 1, failed: 0 }]);
    expect(await later.tick()).toEqual([]);
    const sent = outboxMails(t.dataDir);
    expect(sent.map((m) => [m.to, m.subject])).toEqual([['approver@example.com', 'En attente de votre relecture : Spring post']]);
    expect(sent[0].text).toMatch(/^From: Acme Studio </m);
    expect(await queued()).toEqual([]);
    expect(t.platform.mailHints.get(acme.id)).toBeUndefined();
  });

  it('sends nothing to a member who turned that mail off while it waited, or whose account was disabled meanwhile', async () => {
    jest.spyOn(t.platform.mailer, 'send').mockRejectedValueOnce(unreachable());
    const third = await makeUser(t.platform, { email: 'approver3@example.com', name: 'approver3' });
    await addMember(t.platform, third, acme, 'approver');
    const item = await makeItem(t.platform, acme, { title: 'Spring post', createdBy: editor.id });
    await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {});
    await parts.background.idle();
    expect((await queued()).map((r) => r.state)).toEqual(['pending', 'pending', 'pending']);

    // While the mail server is down, one approver turns review mails off and another's account is disabled.
    await postForm(agents.approver2, '/t/acme/notifications', { kinds: ['item_approved'] } as unknown as Record<string, string>, '/t/acme/notifications');
    changeUserStatus(t.platform, { destroyAllForUser: () => 0 }, third.id, 'disabled', CLI_OPERATOR);
    await new MailDispatcher(t.platform, { now: () => Date.now() + 3600_000 }).tick();

    expect(outboxMails(t.dataDir).map((m) => m.to)).toEqual(['approver@example.com']);
    expect((await queued()).map((r) => r.state)).toEqual(['dropped', 'dropped']);
    expect(t.platform.mailHints.get(acme.id)).toEqual(await deletionHint());
  });

  it('gives a mail up after its last attempt, logging neither the address nor the text, and the doctor names the tenant while it waits', async () => {
    jest.spyOn(t.platform.mailer, 'send').mockRejectedValue(unreachable());
    const logged = jest.spyOn(t.platform.logger, 'error');
    const item = await makeItem(t.platform, acme, { title: 'Secret launch', createdBy: editor.id });
    await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {});
    await parts.background.idle();
    expect((await queued()).map((r) => r.state)).toEqual(['pending', 'pending']);

    const { unresolved } = await runDoctor({ platform: t.platform, fix: false, deep: false }, [mailQueueCheck]);
    expect(unresolved).toEqual([]);
    const laterOn = Date.now() + 20 * 60_000;
    jest.spyOn(Date, 'now').mockReturnValue(laterOn);
    const report = await runDoctor({ platform: t.platform, fix: false, deep: false }, [mailQueueCheck]);
    expect(report.unresolved).toEqual([expect.objectContaining({ check: 'workflow-mail', subject: 'acme', needsHuman: true })]);
    jest.mocked(Date.now).mockRestore();

    // Each visit stops at the first failure (the server is down); a day later every attempt is spent.
    const dispatcher = new MailDispatcher(t.platform, { now: () => Date.now() + 24 * 3600_000, policy: { maxAttempts: 3 } });
    for (let i = 0; i < 6; i++) await dispatcher.tick();
    expect((await queued()).map((r) => [r.state, r.attempts])).toEqual([
      ['failed', 3],
      ['failed', 3],
    ]);
    expect(t.platform.mailHints.get(acme.id)).toEqual(await deletionHint());
    const givenUp = logged.mock.calls.filter(([, message]) => message === 'workflow mail given up after every attempt failed');
    expect(givenUp).toHaveLength(2);
    expect(JSON.stringify(givenUp)).not.toMatch(/example\.com|Secret launch/);
  });

  it('sends nothing for a workspace taken offline for a restore while the visit waited for its handle, and keeps no handle that would hold up the restore', async () => {
    jest.spyOn(t.platform.mailer, 'send').mockRejectedValueOnce(unreachable());
    const item = await makeItem(t.platform, acme, { title: 'Spring post', createdBy: editor.id });
    await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {});
    await parts.background.idle();
    expect((await queued()).map((r) => r.state)).toEqual(['pending', 'pending']);
    const backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;

    // A request is under way in the workspace as the visit waits for a handle; meanwhile a restore
    // takes the workspace offline and waits for the request's handle to close.
    const router = t.platform.router;
    const request = await router.acquire(acme.id);
    let restored: Promise<unknown> | undefined;
    const lease = router.acquire.bind(router);
    jest.spyOn(router, 'acquire').mockImplementationOnce(async (tenantId: string) => {
      restored = restoreTenant(t.platform, { slug: 'acme', backupId, actorUserId: null, drainTimeoutMs: 1_000 });
      while (t.platform.tenants.findById(acme.id)?.status !== 'maintenance' || router.isOpen(acme.id)) await new Promise((resolve) => setTimeout(resolve, 5));
      return lease(tenantId);
    });
    await new MailDispatcher(t.platform, { now: () => Date.now() + 3600_000 }).tick();
    request.release();

    expect(outboxMails(t.dataDir)).toEqual([]);
    await expect(restored).resolves.toMatchObject({ backupId });
    expect(t.platform.router.isOpen(acme.id)).toBe(false);
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('active');
  });

  it('deletes mails that ended unsent over 30 days ago as a later visit passes, and keeps the younger ones', async () => {
    const day = 24 * 3600_000;
    const now = Date.now();
    await withTenantDb(t.platform, acme, (db) =>
      db.write(() => {
        const ended = (state: string, daysAgo: number) =>
          db.run(
            "insert into workflow_mails (kind, user_id, mail, state, attempts, created_at, finished_at) values ('review_requested', ?, '{}', ?, 1, ?, ?)",
            [editor.id, state, now - (daysAgo + 1) * day, now - daysAgo * day],
          );
        for (const state of ['failed', 'dropped', 'unsure']) ended(state, 31);
        ended('failed', 29);
      }),
    );
    // The visit a workflow step starts after its answer (its own mails sent).
    const item = await makeItem(t.platform, acme, { title: 'Spring post', createdBy: editor.id });
    await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {});
    await parts.background.idle();

    expect(outboxMails(t.dataDir)).toHaveLength(2);
    expect(await queued()).toEqual([{ state: 'failed', attempts: 1, last_error: null }]);
  });

  it('deletes the mails that ended unsent 30 days on in a workspace that queues no mail meanwhile, and the doctor names no mail waiting', async () => {
    const refused = Object.assign(new Error('550 5.1.1 User unknown'), { responseCode: 550, command: 'RCPT TO' });
    jest.spyOn(t.platform.mailer, 'send').mockRejectedValue(refused);
    const item = await makeItem(t.platform, acme, { title: 'Secret launch', createdBy: editor.id });
    await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {});
    await parts.background.idle();
    expect((await queued()).map((r) => r.state)).toEqual(['failed', 'failed']);

    // No step of the workspace mails again: only the dispatcher's ticks pass.
    const day = 24 * 3600_000;
    const tickAfter = (days: number) => new MailDispatcher(t.platform, { now: () => Date.now() + days * day }).tick();
    await tickAfter(1);
    expect(await queued()).toHaveLength(2);
    // The hint left for the deletion is no mail waiting to be sent.
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + day);
    expect((await runDoctor({ platform: t.platform, fix: false, deep: false }, [mailQueueCheck])).unresolved).toEqual([]);
    jest.mocked(Date.now).mockRestore();

    await tickAfter(31);
    expect(await queued()).toEqual([]);
    expect(t.platform.mailHints.get(acme.id)).toBeUndefined();
  });

  it('leaves the hint at the deletion of a mail given up by a visit stopped before its end, when another visit took the hint away meanwhile', async () => {
    const refused = Object.assign(new Error('550 5.1.1 User unknown'), { responseCode: 550, command: 'RCPT TO' });
    const send = jest.spyOn(t.platform.mailer, 'send').mockImplementation(async () => {
      // As the first send is under way, another process's visit, which found nothing due, leaves no hint.
      if (send.mock.calls.length === 1) t.platform.db.run('delete from mail_schedule where tenant_id = ?', [acme.id]);
      throw refused;
    });
    // This visit's process stops before the visit's end writes the hint.
    jest.spyOn(t.platform.mailHints, 'replace').mockImplementation(() => {
      throw new Error('the process stopped');
    });
    const item = await makeItem(t.platform, acme, { title: 'Secret launch', createdBy: editor.id });
    await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {});
    await parts.background.idle();

    expect((await queued()).map((r) => r.state)).toEqual(['failed', 'failed']);
    expect(t.platform.mailHints.get(acme.id)).toEqual(await deletionHint());
  });

  it('does not send again a mail a stopped process was sending: whether it went out is unknown', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Cut off', createdBy: editor.id });
    jest.spyOn(t.platform.mailer, 'send').mockImplementation(() => new Promise(() => undefined));
    await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {});
    // The first send hangs, as in a process killed during it: its row stays taken.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await queued()).map((r) => r.state)).toEqual(['sending', 'pending']);
    jest.restoreAllMocks();
    const dispatcher = new MailDispatcher(t.platform, { now: () => Date.now() + 11 * 60_000 });
    await dispatcher.tick();
    expect(outboxMails(t.dataDir)).toHaveLength(1);
    expect((await queued()).map((r) => r.state)).toEqual(['unsure']);
    expect(t.platform.mailHints.get(acme.id)).toEqual(await deletionHint());
  });
});

describe('workflow mails the mail server refuses', () => {
  let t: TestPlatform;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let acme: TenantRecord;
  let editor: Agent;
  const ids: Record<string, string> = {};

  beforeEach(async () => {
    // Refuses one approver for good (unknown mailbox), the other for now (mailbox busy).
    smtp = await startSmtpServer((address) =>
      address === 'gone@example.com'
        ? `550 5.1.1 <${address}>: Recipient address rejected: User unknown`
        : address === 'busy@example.com'
          ? `450 4.2.1 <${address}>: Mailbox busy, try again later`
          : undefined,
    );
    t = await createTestPlatform({ SMTP_URL: smtp.url });
    const parts = createApp(t.platform);
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    const user = await makeUser(t.platform, { email: 'editor@example.com', name: 'Editor' });
    await addMember(t.platform, user, acme, 'editor');
    editor = await signIn(parts.app, user.email);
    for (const who of ['gone', 'busy']) {
      const approver = await makeUser(t.platform, { email: `${who}@example.com`, name: who });
      await addMember(t.platform, approver, acme, 'approver');
      ids[approver.id] = who;
    }
    const item = await makeItem(t.platform, acme, { title: 'Secret launch', createdBy: user.id });
    jest.spyOn(t.platform.logger, 'error');
    expect((await postForm(editor, `/t/acme/items/${item.id}/submit`, {})).status).toBe(303);
    await parts.background.idle();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
    await smtp.close();
  });

  const queued = async () =>
    Object.fromEntries(
      (
        await withTenantDb(t.platform, acme, (db) =>
          db.all<{ user_id: string; state: string; attempts: number; last_error: string | null }>(
            'select user_id, state, attempts, last_error from workflow_mails order by id',
          ),
        )
      ).map(({ user_id, ...row }) => [ids[user_id], row]),
    );

  it('gives a mail up at once when the server refuses its recipient for good, and retries one refused for now', async () => {
    // The first send, right after the answer: nothing was accepted.
    expect(smtp.accepted).toEqual([]);
    expect(await queued()).toEqual({
      gone: { state: 'failed', attempts: 1, last_error: '550 RCPT TO' },
      busy: { state: 'pending', attempts: 1, last_error: '450 RCPT TO' },
    });
    const givenUp = jest.mocked(t.platform.logger.error).mock.calls;
    expect(givenUp).toEqual([
      [
        { tenantId: acme.id, mailId: expect.any(Number), kind: 'review_requested', attempts: 1, smtp: '550 RCPT TO' },
        'workflow mail given up: the mail server refused it',
      ],
    ]);
    expect(JSON.stringify(givenUp)).not.toMatch(/example\.com|Secret launch/);

    // The refused-for-now mail is tried again at its time; the given-up one is not.
    const hint = t.platform.mailHints.get(acme.id);
    expect(await new MailDispatcher(t.platform, { now: () => (hint?.next_due_at ?? 0) + 1 }).tick()).toEqual([{ tenantId: acme.id, sent: 0, failed: 1 }]);
    expect(await queued()).toEqual({
      gone: { state: 'failed', attempts: 1, last_error: '550 RCPT TO' },
      busy: { state: 'pending', attempts: 2, last_error: '450 RCPT TO' },
    });
  });
});
