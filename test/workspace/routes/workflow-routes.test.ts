import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { inTenant } from '../../support/content';
import { mainOf } from '../../support/page-main';
import { auditOf } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { loadWorkflowRules } from '../../../workspace/workflow/workflow-rules';
import { readSettingsRevision, WORKFLOW_RULES_REVISION_KEY } from '../../../workspace/settings/settings-revision';

/** The revision the workflow form of a page sends back. */
function revisionOf(html: string): string {
  const form = /<form method="post" action="\/t\/studio\/workflow">([\s\S]*?)<\/form>/.exec(html);
  const revision = form && /name="revision" value="([^"]*)"/.exec(form[1])?.[1];
  if (!revision) throw new Error('the workflow form sends no revision');
  return revision;
}

const RULES = { approvals_required: '1', channels: '' };

describe('the workflow rules form opened by two people', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let tenant: TenantRecord;
  let owner: Agent;
  let admin: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    tenant = await makeTenant(t.platform, 'studio');
    for (const role of ['owner', 'admin']) {
      const user = await makeUser(t.platform);
      await addMember(t.platform, user, tenant, role);
      if (role === 'owner') owner = await signIn(app, user.email);
      else admin = await signIn(app, user.email);
    }
  });
  afterEach(() => t.cleanup());

  const stateOf = (of = tenant) =>
    inTenant(t.platform, of, (db) => ({ rules: loadWorkflowRules(db), revision: readSettingsRevision(db, WORKFLOW_RULES_REVISION_KEY) }));

  it('refuses the second save made on the page both opened (409): the first change stays, nothing is written, and the form shows the rules as they are now', async () => {
    const [ownerSaw, adminSaw] = (await Promise.all([owner.get('/t/studio/workflow'), admin.get('/t/studio/workflow')])).map((page) => revisionOf(page.text));
    expect([ownerSaw, adminSaw]).toEqual(['1', '1']);
    expect((await postForm(owner, '/t/studio/workflow', { ...RULES, approvals_required: '2', revision: ownerSaw })).status).toBe(303);
    const before = await stateOf();
    expect(before).toEqual({ rules: { approvalsRequired: 2, allowSelfApproval: false, channels: [] }, revision: 2 });
    const records = auditOf(t.platform, 'workflow.rules_change').length;

    const res = await postForm(admin, '/t/studio/workflow', { ...RULES, channels: 'blog\nsocial', revision: adminSaw });

    expect(res.status).toBe(409);
    expect(await stateOf()).toEqual(before);
    expect(auditOf(t.platform, 'workflow.rules_change')).toHaveLength(records);
    expect(mainOf(res.text)).toContain('The workflow rules were changed since you opened them (now revision 2)');
    expect(res.text).toContain('<option value="2" selected>2</option>');
    expect(res.text).toContain('name="channels" rows="5"></textarea>');
    expect(revisionOf(res.text)).toBe('2');
    // Sent again from the page shown, the change is made and the other one kept.
    expect((await postForm(admin, '/t/studio/workflow', { approvals_required: '2', channels: 'blog\nsocial', revision: '2' })).status).toBe(303);
    expect(await stateOf()).toEqual({ rules: { approvalsRequired: 2, allowSelfApproval: false, channels: ['blog', 'social'] }, revision: 3 });
  });

  it('keeps the first of two saves sent at once on the same revision and refuses the other', async () => {
    const [a, b] = await Promise.all([
      postForm(owner, '/t/studio/workflow', { ...RULES, approvals_required: '3', revision: '1' }),
      postForm(admin, '/t/studio/workflow', { ...RULES, allow_self_approval: 'on', revision: '1' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const kept = a.status === 303 ? { approvalsRequired: 3, allowSelfApproval: false } : { approvalsRequired: 1, allowSelfApproval: true };
    expect(await stateOf()).toEqual({ rules: { ...kept, channels: [] }, revision: 2 });
  });

  it('keeps the revision on a save that changes nothing, takes a form without a revision as before, and keeps the revision sent on a 400', async () => {
    expect((await postForm(owner, '/t/studio/workflow', { ...RULES, revision: '1' })).status).toBe(303);
    expect((await stateOf()).revision).toBe(1);
    expect((await postForm(owner, '/t/studio/workflow', { ...RULES, channels: 'blog' })).status).toBe(303);
    expect(await stateOf()).toMatchObject({ rules: { channels: ['blog'] }, revision: 2 });
    const refused = await postForm(owner, '/t/studio/workflow', { ...RULES, channels: '!!', revision: '1' });
    expect(refused.status).toBe(400);
    expect(revisionOf(refused.text)).toBe('1');
    expect((await postForm(owner, '/t/studio/workflow', { ...RULES, revision: 'newest' })).status).toBe(400);
    expect(await stateOf()).toMatchObject({ rules: { channels: ['blog'] }, revision: 2 });
  });

  it("is not helped by the revision another workspace's rules are at", async () => {
    const other = await makeTenant(t.platform, 'other');
    await inTenant(t.platform, other, (db) =>
      db.write(() => db.run("insert into settings (key, value, updated_at) values ('workflow_rules_revision', '5', 0)")),
    );
    expect((await postForm(owner, '/t/studio/workflow', { ...RULES, approvals_required: '2', revision: '1' })).status).toBe(303);
    const before = await stateOf();

    const res = await postForm(admin, '/t/studio/workflow', { ...RULES, channels: 'blog', revision: '5' });

    expect(res.status).toBe(409);
    expect(await stateOf()).toEqual(before);
  });

  describe('a double click on Save', () => {
    const CHANGE = { ...RULES, approvals_required: '2', channels: 'blog', revision: '1' };
    const SAVED = { rules: { approvalsRequired: 2, allowSelfApproval: false, channels: ['blog'] }, revision: 2 };

    it('answers both sends of the same form as a save, one after the other, with one change recorded and the revision raised once', async () => {
      const first = await postForm(owner, '/t/studio/workflow', CHANGE);
      const second = await postForm(owner, '/t/studio/workflow', CHANGE);

      expect([first.status, second.status]).toEqual([303, 303]);
      expect(second.headers.location).toBe(first.headers.location);
      expect(await stateOf()).toEqual(SAVED);
      expect(auditOf(t.platform, 'workflow.rules_change')).toHaveLength(1);
    });

    it('answers both sends of the same form as a save when they arrive at once, with one change recorded', async () => {
      const answers = await Promise.all([postForm(owner, '/t/studio/workflow', CHANGE), postForm(owner, '/t/studio/workflow', CHANGE)]);

      expect(answers.map((res) => res.status)).toEqual([303, 303]);
      expect(await stateOf()).toEqual(SAVED);
      expect(auditOf(t.platform, 'workflow.rules_change')).toHaveLength(1);
    });

    it('still refuses (409) a form sent again on the old revision that would change a field, writing nothing', async () => {
      expect((await postForm(owner, '/t/studio/workflow', CHANGE)).status).toBe(303);

      const res = await postForm(owner, '/t/studio/workflow', { ...CHANGE, channels: 'blog\nsocial' });

      expect(res.status).toBe(409);
      expect(await stateOf()).toEqual(SAVED);
      expect(auditOf(t.platform, 'workflow.rules_change')).toHaveLength(1);
    });
  });
});
