import type { TenantActor } from '../../tenant-runtime/tenant-request-context';

/** What a control-plane command needs of the member acting in a tenant (the request context's actor has it all). */
export type ActingMember = Pick<TenantActor, 'userId' | 'tenantId' | 'permissions' | 'ip' | 'userAgent' | 'realUser' | 'apiTokenId'> &
  Partial<Pick<TenantActor, 'role'>>;

/** The audit fields that identify the actor (and who really acted, while impersonating), the tenant and the client. */
export function auditedBy(actor: ActingMember) {
  return {
    actorUserId: actor.userId,
    realActorUserId: actor.realUser?.id ?? null,
    apiTokenId: actor.apiTokenId ?? null,
    tenantId: actor.tenantId,
    ip: actor.ip,
    userAgent: actor.userAgent,
  };
}
