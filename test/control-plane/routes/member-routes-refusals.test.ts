import { ownerOfAlpha } from '../../support/owner-of-alpha';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeUser } from '../../support/factories';
import { postForm, type Agent } from '../../support/http-agent';
import { membershipOf } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** A refused change of the team (the last owner) is said on the members page it was sent from. */
describe('a refused change on the members page', () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let beta: TenantRecord;
  let olive: UserRecord;
  let owner: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    ({ alpha, beta, olive, owner } = await ownerOfAlpha(t, { alpha: 'Alpha', beta: 'Beta', olive: 'Olive Owner' }));
    const bert = await makeUser(t.platform, { name: 'Bert Betamember' });
    await addMember(t.platform, bert, beta, 'owner');
  });
  afterEach(() => t.cleanup());

  it("answers the last owner's removal (409) on the members page, saying to transfer ownership first, removing nobody", async () => {
    const own = membershipOf(t.platform, olive, alpha).membership_id;
    const res = await postForm(owner, `/t/alpha/members/${own}/remove`, { confirmed: 'yes' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('<h1 id="members-title">Members</h1>');
    expect(res.text).toContain('Olive Owner is the last owner and cannot be removed. Transfer ownership to another member first.');
    expect(t.platform.memberships.listMembers(alpha.id).map((m) => m.user_id)).toEqual([olive.id]);
  });

  it("shows its own workspace's list whatever the return field names: never another workspace's members, never another site", async () => {
    const own = membershipOf(t.platform, olive, alpha).membership_id;
    for (const back of [
      '/t/beta/members',
      'https://evil.example/t/alpha/members',
      '//evil.example/t/alpha/members?q=x',
      '/t/alpha/members/../../beta/members',
    ]) {
      const res = await postForm(owner, `/t/alpha/members/${own}/remove`, { confirmed: 'yes', return: back });
      expect([back, res.status, res.headers.location]).toEqual([back, 409, undefined]);
      expect(res.text).toContain('<h1 id="members-title">Members</h1>');
      expect(res.text).not.toContain('Bert Betamember');
      expect(res.text).not.toContain('evil.example');
      expect(res.text).not.toContain('/t/beta');
    }
    expect(t.platform.memberships.listMembers(beta.id)).toHaveLength(1);
  });
});
