import type { ControlPlane } from '../control-plane';

/**
 * Gives a new tenant the members of another, with the same roles: the source's custom roles are
 * copied first (parents before children, so inheritance is kept) and memberships point at the
 * copies. Run inside the transaction that activates the new tenant. Returns how many members.
 */
export function copyMembers(platform: ControlPlane, fromTenantId: string, toTenantId: string): number {
  const custom = platform.roles.listForTenant(fromTenantId).filter((role) => role.tenant_id === fromTenantId);
  const mapped = new Map<number, number>();
  const pending = [...custom];
  // A parent is predefined (kept) or another custom role of the source (copied before its children).
  while (pending.length) {
    const index = pending.findIndex(
      (role) => role.parent_role_id === null || !custom.some((c) => c.id === role.parent_role_id) || mapped.has(role.parent_role_id),
    );
    if (index < 0) break;
    const [role] = pending.splice(index, 1);
    const parent = role.parent_role_id === null ? null : (mapped.get(role.parent_role_id) ?? role.parent_role_id);
    mapped.set(
      role.id,
      platform.roles.insertCustom(toTenantId, role.key, {
        name: role.name,
        description: role.description,
        parentRoleId: parent,
        permissions: JSON.parse(role.permissions) as string[],
      }),
    );
  }
  const members = platform.memberships.listMembers(fromTenantId);
  for (const member of members) platform.memberships.upsert(member.user_id, toTenantId, mapped.get(member.role_id) ?? member.role_id);
  return members.length;
}
