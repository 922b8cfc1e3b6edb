import { inEnglish } from '../../../core/i18n/translator';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { inTenant, itemSnapshot, makeItem, setRules, tenantContent } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { loadWorkflowRules, DEFAULT_WORKFLOW_RULES } from '../../../workspace/workflow/workflow-rules';

describe('workflow rules', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let tenant: TenantRecord;
  let owner: Agent;
  let editor: Agent;
  let editorUser: UserRecord;
  const approvers: Agent[] = [];
  const approverUsers: UserRecord[] = [];
  let viewer: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    tenant = await makeTenant(t.platform, 'studio');
    const ownerUser = await makeUser(t.platform);
    await addMember(t.platform, ownerUser, tenant, 'owner');
    owner = await signIn(app, ownerUser.email);
    editorUser = await makeUser(t.platform);
    await addMember(t.platform, editorUser, tenant, 'editor');
    editor = await signIn(app, editorUser.email);
    approvers.length = 0;
    approverUsers.length = 0;
    for (let i = 0; i < 3; i++) {
      const u = await makeUser(t.platform);
      await addMember(t.platform, u, tenant, 'approver');
      approverUsers.push(u);
      approvers.push(await signIn(app, u.email));
    }
    const viewerUser = await makeUser(t.platform);
    await addMember(t.platform, viewerUser, tenant, 'viewer');
    viewer = await signIn(app, viewerUser.email);
  });
  afterEach(() => t.cleanup());

  const rulesNow = () => inTenant(t.platform, tenant, (db) => loadWorkflowRules(db));
  const statusOf = async (id: number) => (await itemSnapshot(t.platform, tenant, id)).item?.status;

  describe('the /workflow page', () => {
    it('starts from one approval, no self-approval and any channel', async () => {
      expect(await rulesNow()).toEqual(DEFAULT_WORKFLOW_RULES);
      const page = await owner.get('/t/studio/workflow');
      expect(page.status).toBe(200);
      expect(page.text).toContain('Approvals required');
    });

    it('saves the rules for a settings editor', async () => {
      const res = await postForm(owner, '/t/studio/workflow', { approvals_required: '2', allow_self_approval: 'on', channels: 'blog\nnewsletter, social' });
      expect(res.status).toBe(303);
      expect(await rulesNow()).toEqual({ approvalsRequired: 2, allowSelfApproval: true, channels: ['blog', 'newsletter', 'social'] });
      // An unchecked box turns self-approval off again.
      await postForm(owner, '/t/studio/workflow', { approvals_required: '1', channels: '' });
      expect(await rulesNow()).toEqual({ approvalsRequired: 1, allowSelfApproval: false, channels: [] });
    });

    it('shows the rules read-only to members who may only view settings, and refuses their changes with 403', async () => {
      const page = await viewer.get('/t/studio/workflow');
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('Save rules');
      const res = await postForm(viewer, '/t/studio/workflow', { approvals_required: '3', channels: 'x' });
      expect(res.status).toBe(403);
      expect(await rulesNow()).toEqual(DEFAULT_WORKFLOW_RULES);
    });

    it.each([
      ['approvals_required', { approvals_required: '4', channels: '' }],
      ['approvals_required', { approvals_required: 'two', channels: '' }],
      ['approvals_required', { channels: '' }],
      ['channels', { approvals_required: '1', channels: 'blog\n<script>' }],
      ['channels', { approvals_required: '1', channels: 'x'.repeat(60) }],
      ['allow_self_approval', { approvals_required: '1', allow_self_approval: 'maybe', channels: '' }],
    ])('answers 400 naming %s for bad input, and saves nothing', async (field, body) => {
      const before = await tenantContent(t.platform, tenant);
      const res = await postForm(owner, '/t/studio/workflow', body as Record<string, string>);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`id="${field}-error"`);
      expect(await tenantContent(t.platform, tenant)).toEqual(before);
    });
  });

  describe('approvals required', () => {
    it('approves an item only after N distinct approvers approved its current revision', async () => {
      await setRules(t.platform, tenant, { approvalsRequired: 3 });
      const item = await makeItem(t.platform, tenant, { status: 'in_review', createdBy: editorUser.id });
      for (const [i, agent] of approvers.entries()) {
        expect((await postForm(agent, `/t/studio/items/${item.id}/approve`, {})).status).toBe(303);
        expect(await statusOf(item.id)).toBe(i < 2 ? 'in_review' : 'approved');
      }
      const history = (await itemSnapshot(t.platform, tenant, item.id)).history as Array<{ detail: string }>;
      expect(history.map((h) => inEnglish(h.detail))).toEqual(['Approval 1 of 3', 'Approval 2 of 3', 'Approval 3 of 3']);
    });

    it('approves items in review that already have enough approvals when the rule is lowered, and audits the change', async () => {
      await setRules(t.platform, tenant, { approvalsRequired: 2 });
      const ready = await makeItem(t.platform, tenant, { status: 'in_review', createdBy: editorUser.id });
      const waiting = await makeItem(t.platform, tenant, { status: 'in_review', createdBy: editorUser.id });
      await postForm(approvers[0], `/t/studio/items/${ready.id}/approve`, {});
      expect(await statusOf(ready.id)).toBe('in_review');
      const res = await postForm(owner, '/t/studio/workflow', { approvals_required: '1', channels: '' });
      expect(res.status).toBe(303);
      expect(await statusOf(ready.id)).toBe('approved');
      expect(await statusOf(waiting.id)).toBe('in_review');
      const history = (await itemSnapshot(t.platform, tenant, ready.id)).history as Array<{ action: string; detail: string }>;
      expect(history.at(-1)?.action).toBe('approve');
      expect(inEnglish(history.at(-1)?.detail ?? '')).toBe('Approvals now suffice: the workflow requires 1');
      const audit = t.platform.db.get<{ before: string; after: string }>(
        "select before, after from audit_events where action = 'workflow.rules_change' and tenant_id = ?",
        [tenant.id],
      );
      expect(JSON.parse(audit?.before ?? '{}')).toMatchObject({ approvalsRequired: 2 });
      expect(JSON.parse(audit?.after ?? '{}')).toMatchObject({ approvalsRequired: 1, itemsApproved: [ready.id] });
    });

    it('does not count the same approver twice: sent again at once it is the same approval, later a 409', async () => {
      await setRules(t.platform, tenant, { approvalsRequired: 2 });
      const item = await makeItem(t.platform, tenant, { status: 'in_review' });
      await postForm(approvers[0], `/t/studio/items/${item.id}/approve`, {});
      const before = await itemSnapshot(t.platform, tenant, item.id);
      expect((await postForm(approvers[0], `/t/studio/items/${item.id}/approve`, {})).status).toBe(303);
      expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
      await inTenant(t.platform, tenant, (db) => db.run('update item_history set created_at = created_at - 86400000'));
      const later = await itemSnapshot(t.platform, tenant, item.id);
      expect((await postForm(approvers[0], `/t/studio/items/${item.id}/approve`, {})).status).toBe(409);
      expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(later);
      expect(before.item?.status).toBe('in_review');
    });

    it('resets approvals when the content is edited: old approvals stop counting', async () => {
      await setRules(t.platform, tenant, { approvalsRequired: 2 });
      const item = await makeItem(t.platform, tenant, { status: 'in_review', title: 'First take' });
      await postForm(approvers[0], `/t/studio/items/${item.id}/approve`, {});
      expect((await postForm(editor, `/t/studio/items/${item.id}`, { title: 'Second take', body: 'New body' })).status).toBe(303);
      const edited = await itemSnapshot(t.platform, tenant, item.id);
      expect(edited.item).toMatchObject({ revision: 2, status: 'in_review' });
      await postForm(approvers[1], `/t/studio/items/${item.id}/approve`, {});
      expect(await statusOf(item.id)).toBe('in_review');
      // The first approver may approve the new revision.
      await postForm(approvers[0], `/t/studio/items/${item.id}/approve`, {});
      expect(await statusOf(item.id)).toBe('approved');
    });

    it('sends an approved item back to review when its content changes, but not for a new planned time', async () => {
      const item = await makeItem(t.platform, tenant, { status: 'approved', title: 'Launch' });
      await postForm(editor, `/t/studio/items/${item.id}`, { title: 'Launch', body: item.body, scheduled_at: '2031-05-01T10:00' });
      expect((await itemSnapshot(t.platform, tenant, item.id)).item).toMatchObject({ status: 'approved', revision: 1 });
      await postForm(editor, `/t/studio/items/${item.id}`, { title: 'Launch!', body: item.body });
      expect((await itemSnapshot(t.platform, tenant, item.id)).item).toMatchObject({ status: 'in_review', revision: 2 });
    });
  });

  describe('self-approval', () => {
    it('is refused with 403 when off, and nothing changes', async () => {
      const me = approverUsers[0];
      const item = await makeItem(t.platform, tenant, { status: 'in_review', createdBy: me.id });
      const before = await itemSnapshot(t.platform, tenant, item.id);
      const res = await postForm(approvers[0], `/t/studio/items/${item.id}/approve`, {});
      expect(res.status).toBe(403);
      expect(res.text).toContain('may not approve their own');
      expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
      // The button is not offered either.
      expect((await approvers[0].get(`/t/studio/items/${item.id}`)).text).not.toContain(`/items/${item.id}/approve"`);
    });

    it('is allowed when the rules allow it', async () => {
      await setRules(t.platform, tenant, { allowSelfApproval: true });
      const item = await makeItem(t.platform, tenant, { status: 'in_review', createdBy: approverUsers[0].id });
      expect((await postForm(approvers[0], `/t/studio/items/${item.id}/approve`, {})).status).toBe(303);
      expect(await statusOf(item.id)).toBe('approved');
    });
  });

  describe('allowed channels', () => {
    beforeEach(() => setRules(t.platform, tenant, { channels: ['blog', 'newsletter'] }));

    it('accepts an item on an allowed channel', async () => {
      const res = await postForm(editor, '/t/studio/items', { title: 'Hello', body: '', channel: 'blog' });
      expect(res.status).toBe(303);
      expect((await tenantContent(t.platform, tenant)).items).toEqual([expect.objectContaining({ title: 'Hello', channel: 'blog' })]);
    });

    it.each([
      ['another channel', 'tiktok'],
      ['no channel', ''],
    ])('answers 400 naming the channel for %s, and creates nothing', async (_label, channel) => {
      const res = await postForm(editor, '/t/studio/items', { title: 'Hello', body: '', channel });
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="channel-error"');
      expect(res.text).toContain('blog, newsletter');
      expect((await tenantContent(t.platform, tenant)).items).toEqual([]);
    });

    it('answers 400 naming the channel when an edit moves an item off the list, and changes nothing', async () => {
      const item = await makeItem(t.platform, tenant, { channel: 'blog' });
      const before = await itemSnapshot(t.platform, tenant, item.id);
      const res = await postForm(editor, `/t/studio/items/${item.id}`, { title: item.title, body: item.body, channel: 'radio' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="channel-error"');
      expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
    });

    it('lets an item keep a channel dropped from the list since, when an edit changes only its text', async () => {
      const item = await makeItem(t.platform, tenant, { channel: 'radio' });
      const res = await postForm(editor, `/t/studio/items/${item.id}`, { title: 'Retitled', body: item.body, channel: 'radio' });
      expect(res.status).toBe(303);
      expect((await itemSnapshot(t.platform, tenant, item.id)).item).toMatchObject({ title: 'Retitled', channel: 'radio' });
    });
  });
});
