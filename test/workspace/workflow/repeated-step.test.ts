import request from 'supertest';
import type { Express } from 'express';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { DAY, inTenant, itemSnapshot, makeItem, setRules } from '../../support/content';
import { bearer, personalToken } from '../../support/api-tokens';
import { plantEndpoint } from '../../support/webhooks';
import { outboxMails } from '../../support/outbox';
import { zonedClock } from '../../../core/time/zoned-clock';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import type { ItemStatus } from '../../../workspace/workflow/item-status';

type Step = 'submit' | 'resubmit' | 'approve' | 'request-changes' | 'schedule' | 'publish' | 'unschedule' | 'archive' | 'restore';

/** Each step from the state it applies to, as the item page's form sends it. */
const STEPS: Array<{ step: Step; from: ItemStatus; to: ItemStatus; by: 'editor' | 'approver' | 'owner'; form: () => Record<string, string> }> = [
  { step: 'submit', from: 'draft', to: 'in_review', by: 'editor', form: () => ({}) },
  { step: 'resubmit', from: 'changes_requested', to: 'in_review', by: 'editor', form: () => ({}) },
  { step: 'approve', from: 'in_review', to: 'approved', by: 'approver', form: () => ({ note: 'Fine.' }) },
  { step: 'request-changes', from: 'in_review', to: 'changes_requested', by: 'approver', form: () => ({ note: 'Shorter, please.' }) },
  { step: 'schedule', from: 'approved', to: 'scheduled', by: 'owner', form: () => ({ publish_at: zonedClock('UTC').input(Date.now() + 3 * DAY) }) },
  { step: 'publish', from: 'approved', to: 'published', by: 'owner', form: () => ({}) },
  { step: 'unschedule', from: 'scheduled', to: 'approved', by: 'owner', form: () => ({}) },
  { step: 'archive', from: 'draft', to: 'archived', by: 'owner', form: () => ({}) },
  { step: 'restore', from: 'archived', to: 'draft', by: 'owner', form: () => ({}) },
];

describe('a workflow step sent twice by the same member (a double click)', () => {
  let t: TestPlatform;
  let app: Express;
  let tenant: TenantRecord;
  const agents = new Map<string, Agent>();
  const users = new Map<string, UserRecord>();

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    tenant = await makeTenant(t.platform, 'studio');
    for (const role of ['owner', 'editor', 'approver', 'admin']) {
      const user = await makeUser(t.platform, { name: `The ${role}` });
      await addMember(t.platform, user, tenant, role);
      users.set(role, user);
      agents.set(role, await signIn(app, user.email));
    }
    await plantEndpoint(t.platform, tenant, 'http://127.0.0.1:9/hook');
  });
  afterEach(() => t.cleanup());

  /** What a repeat must not add to: the item's rows, its webhook deliveries, its audit records and its queued or sent mails. */
  async function effects(id: number) {
    const deadline = Date.now() + 5_000;
    const queued = () => inTenant(t.platform, tenant, (db) => db.get<{ n: number }>('select count(*) as n from workflow_mails')!.n);
    while ((await queued()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return {
      ...(await itemSnapshot(t.platform, tenant, id)),
      deliveries: await inTenant(t.platform, tenant, (db) => db.all('select event_type from webhook_deliveries order by created_at, id')),
      audit: t.platform.db.all("select action from audit_events where action like 'item.%' and target_id = ? order by id", [String(id)]),
      mails: outboxMails(t.dataDir).length,
    };
  }

  describe.each(STEPS)('$step ($from -> $to)', ({ step, from, to, by, form }) => {
    it('answers the second of two forms sent one after the other as done, with the same redirect, and writes nothing more', async () => {
      const item = await makeItem(t.platform, tenant, { status: from, createdBy: users.get('editor')!.id });
      const body = { ...form(), revision: '1' };
      const first = await postForm(agents.get(by)!, `/t/studio/items/${item.id}/${step}`, body);
      expect(first.status).toBe(303);
      const after = await effects(item.id);
      expect(after.item?.status).toBe(to);

      const second = await postForm(agents.get(by)!, `/t/studio/items/${item.id}/${step}`, body);

      expect(second.status).toBe(303);
      expect(second.headers.location).toBe(first.headers.location);
      expect(await effects(item.id)).toEqual(after);
      const page = await agents.get(by)!.get(second.headers.location as string);
      expect(page.text).not.toContain('does not apply');
    });

    it('answers both of two forms sent at once as done, and takes the step once', async () => {
      const item = await makeItem(t.platform, tenant, { status: from, createdBy: users.get('editor')!.id });
      const body = { ...form(), revision: '1' };
      const [a, b] = await Promise.all([1, 2].map(() => postForm(agents.get(by)!, `/t/studio/items/${item.id}/${step}`, body)));

      expect([a.status, b.status]).toEqual([303, 303]);
      const after = await effects(item.id);
      expect(after.item?.status).toBe(to);
      expect(after.history.filter((h) => (h as { action: string }).action === step)).toHaveLength(1);
      expect(after.audit).toEqual([{ action: `item.${step}` }]);
    });
  });

  it('answers an API step sent again with the same revision as done, with the first answer, and writes nothing more', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'draft', createdBy: users.get('editor')!.id });
    const token = personalToken(t.platform, users.get('editor')!);
    const submit = () => request(app).post(`/api/v1/t/studio/items/${item.id}/submit`).set(bearer(token)).send({ revision: 1 });
    const first = await submit();
    expect(first.status).toBe(200);
    const after = await effects(item.id);

    const [again, once_more] = await Promise.all([submit(), submit()]);

    expect([again.status, once_more.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect(once_more.body).toEqual(first.body);
    expect(await effects(item.id)).toEqual(after);
    expect(after.deliveries).toEqual([{ event_type: 'item.submitted' }]);
  });

  it('answers an approval sent twice as one approval when more are needed, the item still in review', async () => {
    await setRules(t.platform, tenant, { approvalsRequired: 2 });
    const item = await makeItem(t.platform, tenant, { status: 'in_review', createdBy: users.get('editor')!.id });
    const approve = () => postForm(agents.get('approver')!, `/t/studio/items/${item.id}/approve`, { revision: '1' });
    expect((await approve()).status).toBe(303);
    const after = await effects(item.id);

    expect((await approve()).status).toBe(303);

    expect(await effects(item.id)).toEqual(after);
    expect(after.approvals).toHaveLength(1);
    expect(after.item?.status).toBe('in_review');
  });

  it("still refuses a step repeated after another member's step (409), writing nothing", async () => {
    const item = await makeItem(t.platform, tenant, { status: 'draft', createdBy: users.get('editor')!.id });
    expect((await postForm(agents.get('editor')!, `/t/studio/items/${item.id}/submit`, { revision: '1' })).status).toBe(303);
    expect((await postForm(agents.get('approver')!, `/t/studio/items/${item.id}/request-changes`, { note: 'No.', revision: '1' })).status).toBe(303);
    const before = await effects(item.id);

    const res = await postForm(agents.get('editor')!, `/t/studio/items/${item.id}/submit`, { revision: '1' });

    expect(res.status).toBe(409);
    expect(await effects(item.id)).toEqual(before);
  });

  it('still refuses the same step by another member (409): the first was not theirs', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'draft', createdBy: users.get('editor')!.id });
    expect((await postForm(agents.get('editor')!, `/t/studio/items/${item.id}/submit`, { revision: '1' })).status).toBe(303);
    const before = await effects(item.id);

    const res = await postForm(agents.get('admin')!, `/t/studio/items/${item.id}/submit`, { revision: '1' });

    expect(res.status).toBe(409);
    expect(res.text).toContain('does not apply');
    expect(await effects(item.id)).toEqual(before);
  });

  it('still refuses a repeat whose note differs from the first (409): it is another request', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'in_review', createdBy: users.get('editor')!.id });
    const ask = (note: string) => postForm(agents.get('approver')!, `/t/studio/items/${item.id}/request-changes`, { note, revision: '1' });
    expect((await ask('Shorter, please.')).status).toBe(303);
    const before = await effects(item.id);

    expect((await ask('And a new picture.')).status).toBe(409);
    expect(await effects(item.id)).toEqual(before);
  });

  it('still refuses a step repeated long after the first (409)', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'draft', createdBy: users.get('editor')!.id });
    expect((await postForm(agents.get('editor')!, `/t/studio/items/${item.id}/submit`, { revision: '1' })).status).toBe(303);
    await inTenant(t.platform, tenant, (db) => db.run('update item_history set created_at = created_at - ?', [DAY]));

    expect((await postForm(agents.get('editor')!, `/t/studio/items/${item.id}/submit`, { revision: '1' })).status).toBe(409);
  });
});
