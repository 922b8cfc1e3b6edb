import type { ControlPlane } from '../control-plane';
import { PERMISSIONS, type Permission } from '../../tenant-runtime/permission-catalogue';
import { parsePermissions } from './effective-permissions';
import { canGrant } from './grant-rules';
import { customRolesOn } from './offered-role';
import type { RoleRecord } from './role-repository';

export interface RoleView {
  id: number;
  key: string;
  name: string;
  description: string;
  predefined: boolean;
  parentId: number | null;
  parentName: string | null;
  parentKey: string | null;
  own: Set<Permission>;
  effective: ReadonlySet<Permission>;
  members: number;
  /** The actor may edit or delete it (custom, and holding nothing the actor lacks). */
  editable: boolean;
  /** The actor may give it to someone (assign or invite with it). */
  grantable: boolean;
  /** Its revision, raised by each change: what its edit form and API clients send back. */
  revision: number;
}

export const PERMISSION_ROWS = (Object.entries(PERMISSIONS) as Array<[Permission, string]>).map(([key, description]) => ({ key, description }));

/** The tenant's roles as the pages show them, with what the acting member may do to each. */
export function presentRoles(platform: ControlPlane, tenantId: string, actorPermissions: ReadonlySet<Permission>): RoleView[] {
  const roles = platform.roles.listForTenant(tenantId);
  const byId = new Map(roles.map((r) => [r.id, r]));
  const counts = platform.memberships.countByRole(tenantId);
  const customOn = customRolesOn(platform, tenantId);
  return roles.map((role: RoleRecord) => {
    const effective = platform.access.permissionsOfRole(role.id);
    // A custom role is given only while the plan includes custom roles (it keeps its members).
    const grantable = canGrant(actorPermissions, effective) && (Boolean(role.is_predefined) || customOn);
    return {
      id: role.id,
      key: role.key,
      name: role.name,
      description: role.description,
      predefined: Boolean(role.is_predefined),
      parentId: role.parent_role_id,
      parentName: role.parent_role_id === null ? null : (byId.get(role.parent_role_id)?.name ?? null),
      parentKey: role.parent_role_id === null ? null : (byId.get(role.parent_role_id)?.key ?? null),
      own: parsePermissions(role.permissions),
      effective,
      members: counts.get(role.id) ?? 0,
      editable: !role.is_predefined && grantable,
      grantable,
      revision: role.revision,
    };
  });
}

/** Roles a role may inherit from: every role of the tenant but itself and those inheriting from it. */
export function parentChoices(views: RoleView[], selfId?: number): RoleView[] {
  if (selfId === undefined) return views;
  const excluded = new Set([selfId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const v of views) {
      if (v.parentId !== null && excluded.has(v.parentId) && !excluded.has(v.id)) {
        excluded.add(v.id);
        grew = true;
      }
    }
  }
  return views.filter((v) => !excluded.has(v.id));
}
