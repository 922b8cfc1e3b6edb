import type { Permission } from '../../tenant-runtime/permission-catalogue';

/** The member acting in a tenant: who, with which effective permissions, from where. */
export interface TenantActor {
  userId: string;
  tenantId: string;
  permissions: ReadonlySet<Permission>;
  ip?: string | null;
  userAgent?: string | null;
}

/** The audit fields that identify the actor, the tenant and the client. */
export function auditedBy(actor: TenantActor) {
  return { actorUserId: actor.userId, tenantId: actor.tenantId, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null };
}
