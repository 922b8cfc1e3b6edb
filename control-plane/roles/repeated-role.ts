import { isDoubleSubmit } from '../../core/http/double-submit';
import type { ControlPlane } from '../control-plane';
import type { ActingMember } from '../audit/tenant-actor';
import type { RoleRecord } from './role-repository';
import { roleInputSchema } from './role-schemas';

/**
 * The role a creation sent again was answered by (a double click on Create, a browser sending the
 * form again, an API client retrying without an Idempotency-Key): a custom role of the actor's
 * workspace with exactly this name, description, parent and permissions, not changed since
 * (revision 1), whose `role.create` record says the same member made it within DOUBLE_SUBMIT_MS
 * (the roles table keeps neither who made a role nor when). Asked inside the creation's write, so
 * two sent at once make one. Undefined for anything else (another member, any field different,
 * a role changed since, long after): the form is checked as always, and the name refused.
 */
export function roleJustCreated(platform: ControlPlane, actor: ActingMember, input: unknown): RoleRecord | undefined {
  if (!actor.userId) return undefined;
  const parsed = roleInputSchema.safeParse(input ?? {});
  if (!parsed.success) return undefined;
  const asked = parsed.data;
  const role = platform.roles.listForTenant(actor.tenantId).find((r) => !r.is_predefined && r.tenant_id === actor.tenantId && r.name === asked.name);
  if (!role || role.revision !== 1 || role.description !== asked.description || role.parent_role_id !== asked.parent_role_id) return undefined;
  const permissions = [...(JSON.parse(role.permissions) as string[])].sort();
  const askedPermissions = [...asked.permissions].sort();
  if (permissions.length !== askedPermissions.length || permissions.some((p, i) => p !== askedPermissions[i])) return undefined;
  const made = platform.db.get<{ actor_user_id: string | null; created_at: number }>(
    `select actor_user_id, created_at from audit_events
      where tenant_id = ? and action = 'role.create' and target_type = 'role' and target_id = ? order by id desc limit 1`,
    [actor.tenantId, String(role.id)],
  );
  return made && made.actor_user_id === actor.userId && isDoubleSubmit(made.created_at) ? role : undefined;
}
