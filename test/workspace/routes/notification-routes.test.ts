import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { inTenant } from '../../support/content';
import { auditOf } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** A member's choice of workflow mails is theirs; a change of it is in the workspace's audit trail. */
describe("a member's workflow mail choices", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let other: TenantRecord;
  let approver: UserRecord;
  let agent: Agent;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    other = await makeTenant(t.platform, 'other');
    approver = await makeUser(t.platform, { email: 'approver@example.com' });
    await addMember(t.platform, approver, acme, 'approver');
    agent = await signIn(app, approver.email);
  });
  afterAll(() => t.cleanup());

  const choose = (kinds: string[], slug = 'acme') =>
    postForm(agent, `/t/${slug}/notifications`, { kinds } as unknown as Record<string, string>, `/t/${slug}/notifications`);
  const changes = () => auditOf(t.platform, 'notifications.change');

  it('records a change with the kinds before and after, the member as actor and target, in this workspace', async () => {
    expect((await choose(['item_approved'])).status).toBe(303);
    const [entry] = changes();
    expect(changes()).toHaveLength(1);
    expect(entry).toMatchObject({ tenant_id: acme.id, actor_user_id: approver.id, target_type: 'user', target_id: approver.id });
    expect(JSON.parse(entry.before ?? 'null')).toEqual({ enabled: ['review_requested', 'item_approved', 'changes_requested'] });
    expect(JSON.parse(entry.after ?? 'null')).toEqual({ enabled: ['item_approved'] });
  });

  it('records nothing, and writes nothing, when the same choices are saved again', async () => {
    const before = changes().length;
    const rows = () => inTenant(t.platform, acme, (db) => db.all('select * from notification_preferences order by user_id, kind'));
    const saved = await rows();
    expect((await choose(['item_approved'])).status).toBe(303);
    expect(changes()).toHaveLength(before);
    expect(await rows()).toEqual(saved);
  });

  it("records nothing for a refused choice, nor for another workspace's address", async () => {
    const before = changes().length;
    expect((await choose(['everything'])).status).toBe(400);
    expect((await choose([], 'other')).status).toBe(404);
    expect(changes()).toHaveLength(before);
    expect(await inTenant(t.platform, other, (db) => db.all('select * from notification_preferences'))).toEqual([]);
  });
});
