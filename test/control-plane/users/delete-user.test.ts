import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { deleteUser } from '../../../control-plane/users/delete-user';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import type { TenantEvent } from '../../../control-plane/events/tenant-events';

describe('deleting an account', () => {
  let t: TestPlatform;
  const sessions = { destroyAllForUser: () => 0 };

  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  it("tells each workspace it belonged to that the member was removed (their webhooks' member.removed), after the deletion", async () => {
    const alpha = await makeTenant(t.platform, 'alpha');
    const bravo = await makeTenant(t.platform, 'bravo');
    const gone = await makeUser(t.platform, { email: 'gone@example.test' });
    await addMember(t.platform, await makeUser(t.platform), alpha, 'owner');
    await addMember(t.platform, await makeUser(t.platform), bravo, 'owner');
    await addMember(t.platform, gone, alpha, 'editor');
    await addMember(t.platform, gone, bravo, 'admin');
    const heard: Array<{ tenantId: string; event: TenantEvent; userStillThere: boolean }> = [];
    t.platform.tenantEvents.subscribe((tenantId, event) => heard.push({ tenantId, event, userStillThere: Boolean(t.platform.users.findById(gone.id)) }));

    deleteUser(t.platform, sessions, gone.id, { confirm: gone.email }, CLI_OPERATOR);

    expect(heard.sort((a, b) => a.tenantId.localeCompare(b.tenantId))).toEqual(
      [
        { tenantId: alpha.id, role: 'editor' },
        { tenantId: bravo.id, role: 'admin' },
      ]
        .sort((a, b) => a.tenantId.localeCompare(b.tenantId))
        .map(({ tenantId, role }) => ({
          tenantId,
          event: { type: 'member.removed', data: { user: { id: gone.id, email: 'gone@example.test' }, role, reason: 'account_deleted' } },
          userStillThere: false,
        })),
    );
  });

  it('announces nothing when the deletion is refused', async () => {
    const alpha = await makeTenant(t.platform, 'alpha');
    const owner = await makeUser(t.platform, { email: 'owner@example.test' });
    await addMember(t.platform, owner, alpha, 'owner');
    const heard: TenantEvent[] = [];
    t.platform.tenantEvents.subscribe((_tenantId, event) => heard.push(event));

    expect(() => deleteUser(t.platform, sessions, owner.id, { confirm: owner.email }, CLI_OPERATOR)).toThrow(/last owner/);
    expect(heard).toEqual([]);
  });

  it('is refused for the last owner whose account is active, a second owner whose account is disabled counting for nothing', async () => {
    const alpha = await makeTenant(t.platform, 'alpha');
    const owner = await makeUser(t.platform, { email: 'owner@example.test' });
    const dormant = await makeUser(t.platform, { email: 'dormant@example.test' });
    await addMember(t.platform, owner, alpha, 'owner');
    await addMember(t.platform, dormant, alpha, 'owner');
    t.platform.users.setStatus(dormant.id, 'disabled');

    expect(() => deleteUser(t.platform, sessions, owner.id, { confirm: owner.email }, CLI_OPERATOR)).toThrow(/last owner/);
    expect(t.platform.users.findById(owner.id)).toBeDefined();

    // With the other owner's account active again, the deletion goes ahead.
    t.platform.users.setStatus(dormant.id, 'active');
    deleteUser(t.platform, sessions, owner.id, { confirm: owner.email }, CLI_OPERATOR);
    expect(t.platform.users.findById(owner.id)).toBeUndefined();
  });
});
