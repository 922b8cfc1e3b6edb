import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { inTenant, makeItem, setRules } from '../../support/content';
import { outboxDir } from '../../../core/mail/mailer';
import { outboxMails } from '../../support/outbox';
import { makeCustomRole, setRole } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import request from 'supertest';
import { changeUserStatus } from '../../../control-plane/users/change-user-status';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** Approvers hear when something waits for them, authors when their item is approved or sent back. */
describe('workflow mail and the "waiting for you" list', () => {
  let t: TestPlatform;
  let parts: ReturnType<typeof createApp>;
  let acme: TenantRecord;
  const users: Record<'editor' | 'approver' | 'approver2' | 'viewer', UserRecord> = {} as never;
  const agents: Record<'editor' | 'approver' | 'approver2' | 'viewer', Agent> = {} as never;

  beforeEach(async () => {
    t = await createTestPlatform();
    parts = createApp(t.platform);
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    for (const role of ['editor', 'approver', 'approver2', 'viewer'] as const) {
      users[role] = await makeUser(t.platform, { email: `${role}@example.com`, name: role[0].toUpperCase() + role.slice(1) });
      await addMember(t.platform, users[role], acme, role === 'approver2' ? 'approver' : role);
      agents[role] = await signIn(parts.app, users[role].email);
    }
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
  });
  afterEach(() => t.cleanup());

  const disable = (user: UserRecord) => changeUserStatus(t.platform, { destroyAllForUser: () => 0 }, user.id, 'disabled', CLI_OPERATOR);

  /** The mails written to the outbox once the background work has settled. */
  async function mails(): Promise<Array<{ to: string; subject: string; text: string }>> {
    await parts.background.idle();
    return outboxMails(t.dataDir);
  }

  it('tells every approver but the author when an item enters review, in the workspace name', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Spring post', createdBy: users.editor.id });
    expect((await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {})).status).toBe(303);
    const sent = await mails();
    expect(sent.map((m) => m.to).sort()).toEqual(['approver2@example.com', 'approver@example.com']);
    expect(sent[0].subject).toBe('Waiting for your review: Spring post');
    expect(sent[0].text).toMatch(/^From: Acme Studio </m);
    expect(sent[0].text).toContain(`http://localhost:3000/t/acme/items/${item.id}`);
    expect(sent[0].text).not.toContain('Tenantry');
  });

  it('keeps a title with direction controls or right-to-left letters from turning the sentence around it: the title is isolated (U+2068 … U+2069)', async () => {
    const tricky = 'Price list \u202Etxt.exe';
    const item = await makeItem(t.platform, acme, { title: tricky, createdBy: users.editor.id });
    const hebrew = await makeItem(t.platform, acme, { title: 'מבצע אביב', createdBy: users.editor.id });
    const plain = await makeItem(t.platform, acme, { title: 'Spring post', createdBy: users.editor.id });
    for (const i of [item, hebrew, plain]) expect((await postForm(agents.editor, `/t/acme/items/${i.id}/submit`, {})).status).toBe(303);
    const sent = (await mails()).filter((m) => m.to === 'approver@example.com');
    expect(sent.map((m) => m.subject).sort()).toEqual(
      [
        'Waiting for your review: \u2068Price list \u202Etxt.exe\u2069',
        'Waiting for your review: \u2068מבצע אביב\u2069',
        'Waiting for your review: Spring post',
      ].sort(),
    );
    expect(sent.find((m) => m.subject.includes('Price'))?.text).toContain('Editor sent “\u2068Price list \u202Etxt.exe\u2069” for review in Acme Studio.');
  });

  it('mails no one whose account is disabled: neither an approver when an item enters review, nor its author when it is approved', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Quiet post', createdBy: users.editor.id });
    disable(users.approver2);
    expect((await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {})).status).toBe(303);
    expect((await mails()).map((m) => m.to)).toEqual(['approver@example.com']);
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    disable(users.editor);
    expect((await postForm(agents.approver, `/t/acme/items/${item.id}/approve`, {})).status).toBe(303);
    expect(await mails()).toEqual([]);
  });

  it('mails no one whose role may not read items: neither its author once moved to such a role, nor a reviewer whose role approves but cannot read', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Secret launch', createdBy: users.editor.id });
    await setRole(t.platform, users.approver2, acme, makeCustomRole(t.platform, acme, 'Sign-off only', ['content.approve']));
    expect((await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {})).status).toBe(303);
    expect((await mails()).map((m) => m.to)).toEqual(['approver@example.com']);
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    await setRole(t.platform, users.editor, acme, makeCustomRole(t.platform, acme, 'Billing', ['usage.view']));
    expect((await agents.editor.get(`/t/acme/items/${item.id}`)).status).not.toBe(200);
    expect((await postForm(agents.approver, `/t/acme/items/${item.id}/request-changes`, { note: 'Shorter.' })).status).toBe(303);
    expect(await mails()).toEqual([]);
  });

  it('sends the same mail for a step taken through the API as for one taken on the page', async () => {
    const item = await makeItem(t.platform, acme, { title: 'API post', createdBy: users.editor.id });
    const res = await request(parts.app)
      .post(`/api/v1/t/acme/items/${item.id}/submit`)
      .set(bearer(personalToken(t.platform, users.editor)))
      .send({});
    expect(res.status).toBe(200);
    const sent = await mails();
    expect(sent.map((m) => m.to).sort()).toEqual(['approver2@example.com', 'approver@example.com']);
    expect(sent[0].subject).toBe('Waiting for your review: API post');
  });

  it("tells the author when the item is approved, and when changes are asked for, with the reviewer's note", async () => {
    const item = await makeItem(t.platform, acme, { title: 'Spring post', status: 'in_review', createdBy: users.editor.id });
    await postForm(agents.approver, `/t/acme/items/${item.id}/request-changes`, { note: 'Shorter title, please.' });
    let sent = await mails();
    expect(sent).toEqual([expect.objectContaining({ to: 'editor@example.com', subject: 'Changes requested: Spring post' })]);
    expect(sent[0].text).toContain('Shorter title, please.');
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    expect((await postForm(agents.editor, `/t/acme/items/${item.id}/resubmit`, {})).status).toBe(303);
    await mails();
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    expect((await postForm(agents.approver, `/t/acme/items/${item.id}/approve`, {})).status).toBe(303);
    sent = await mails();
    expect(sent).toEqual([expect.objectContaining({ to: 'editor@example.com', subject: 'Approved: Spring post' })]);
  });

  it('sends nothing for an approval that does not yet approve the item', async () => {
    await setRules(t.platform, acme, { approvalsRequired: 2 });
    const item = await makeItem(t.platform, acme, { status: 'in_review', createdBy: users.editor.id });
    await postForm(agents.approver, `/t/acme/items/${item.id}/approve`, {});
    expect(await mails()).toEqual([]);
  });

  it('names the field in words when the same kind is sent many times, as a refused choice', async () => {
    const res = await postForm(agents.approver, '/t/acme/notifications', { kinds: Array(20).fill('item_approved') } as unknown as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.text).toContain('must be kinds of mail offered');
    expect(res.text).not.toContain('Too big');
  });

  it("respects each member's choices, per workspace", async () => {
    const saved = await postForm(
      agents.approver,
      '/t/acme/notifications',
      { kinds: ['item_approved', 'changes_requested'] } as unknown as Record<string, string>,
      '/t/acme/notifications',
    );
    expect(saved.status).toBe(303);
    const page = await agents.approver.get('/t/acme/notifications');
    expect(page.text).toContain('value="review_requested">');
    expect(page.text).not.toContain('value="review_requested" checked');
    const item = await makeItem(t.platform, acme, { createdBy: users.editor.id });
    await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {});
    expect((await mails()).map((m) => m.to)).toEqual(['approver2@example.com']);
  });

  it('refuses a kind of mail that does not exist (400) and keeps the choices', async () => {
    const res = await postForm(agents.approver, '/t/acme/notifications', { kinds: 'everything' }, '/t/acme/notifications');
    expect(res.status).toBe(400);
    expect((await agents.approver.get('/t/acme/notifications')).text).toContain('value="review_requested" checked');
  });

  const waitingOn = (html: string) => /<section aria-labelledby="waiting-title"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

  it('lists on the dashboard what waits for the member: items to review, and their own items sent back', async () => {
    const review = await makeItem(t.platform, acme, { title: 'Needs eyes', status: 'in_review', createdBy: users.editor.id });
    await makeItem(t.platform, acme, { title: 'Back to you', status: 'changes_requested', createdBy: users.editor.id });
    const approverHome = waitingOn((await agents.approver.get('/t/acme')).text);
    expect(approverHome).toContain('Waiting for you');
    expect(approverHome).toContain('Needs eyes');
    expect(approverHome).not.toContain('Back to you');
    const editorHome = waitingOn((await agents.editor.get('/t/acme')).text);
    expect(editorHome).toContain('Back to you');
    expect(editorHome).not.toContain('Needs eyes');
    await postForm(agents.approver, `/t/acme/items/${review.id}/approve`, {});
    expect(waitingOn((await agents.approver.get('/t/acme')).text)).not.toContain('Needs eyes');
    expect((await agents.viewer.get('/t/acme')).text).not.toContain('Waiting for you');
  });

  it("never mails another workspace's members", async () => {
    const other = await makeTenant(t.platform, 'other');
    const outsider = await makeUser(t.platform, { email: 'outsider@example.com' });
    await addMember(t.platform, outsider, other, 'approver');
    const item = await makeItem(t.platform, acme, { createdBy: users.editor.id });
    await postForm(agents.editor, `/t/acme/items/${item.id}/submit`, {});
    expect((await mails()).map((m) => m.to)).not.toContain('outsider@example.com');
  });

  it("cannot read or change another workspace's mail choices, by URL or by form field", async () => {
    const other = await makeTenant(t.platform, 'other');
    const outsider = await makeUser(t.platform, { email: 'outsider@example.com' });
    await addMember(t.platform, outsider, other, 'approver');
    const outsiderAgent = await signIn(parts.app, outsider.email);
    expect((await postForm(outsiderAgent, '/t/other/notifications', { kinds: 'item_approved' }, '/t/other/notifications')).status).toBe(303);
    const choicesIn = (tenant: TenantRecord) => inTenant(t.platform, tenant, (db) => db.all('SELECT * FROM notification_preferences ORDER BY 1, 2'));
    const before = await choicesIn(other);
    expect(before).not.toEqual([]);

    expect((await agents.approver.get('/t/other/notifications')).status).toBe(404);
    const crossPost = await postForm(agents.approver, '/t/other/notifications', { kinds: 'review_requested' }, '/t/acme/notifications');
    expect(crossPost.status).toBe(404);
    const smuggled = await postForm(
      agents.approver,
      '/t/acme/notifications',
      { kinds: 'review_requested', tenant: 'other', tenantId: other.id },
      '/t/acme/notifications',
    );
    expect(smuggled.status).toBe(303);

    expect(await choicesIn(other)).toEqual(before);
  });
});
