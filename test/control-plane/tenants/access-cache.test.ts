import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant, makeUser } from '../../support/factories';
import { makeCustomRole, roleId, setRole } from '../../support/team';

describe("the access cache's permissions", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it("resolve a member's custom role through its parents, once, until roles or memberships change", async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    const user = await makeUser(t.platform);
    const role = makeCustomRole(t.platform, tenant, 'Reviewer plus', ['audit.view'], roleId(t.platform, 'approver'));
    await setRole(t.platform, user, tenant, role);
    const membership = t.platform.access.membership(user.id, tenant.id);
    expect(membership).toBeDefined();
    const first = t.platform.access.permissionsOf(membership!);
    expect(first.has('audit.view')).toBe(true);
    expect(first.has('content.approve')).toBe(true);
    expect(first.has('content.edit')).toBe(false);
    expect(t.platform.access.permissionsOf(membership!)).toBe(first);

    // A write past the repository is not seen (the request path asks the database nothing)...
    t.platform.db.connection().prepare('update roles set permissions = ? where id = ?').run('["usage.view"]', role);
    expect(t.platform.access.permissionsOf(membership!).has('audit.view')).toBe(true);
    // ...and is seen at once after the repository's next change (it tells the cache itself).
    t.platform.roles.updateCustom(role, tenant.id, {
      name: 'Reviewer plus',
      description: '',
      parentRoleId: roleId(t.platform, 'approver'),
      permissions: ['usage.view'],
    });
    const after = t.platform.access.permissionsOf(t.platform.access.membership(user.id, tenant.id)!);
    expect(after.has('audit.view')).toBe(false);
    expect(after.has('usage.view')).toBe(true);
    expect(after.has('content.approve')).toBe(true);
  });
});
