import type { TenantRequestContext } from '../tenant-runtime/tenant-request-context';
import type { WorkspaceServices } from './workspace-services';

/**
 * What a deletion sent again by the same member (a double click, a form or an API call sent again)
 * was answered by: that member's deletion record for this target in this workspace, made within
 * DOUBLE_SUBMIT_MS (the console's rule, control-plane/audit/repeated-deletion.ts). Its `before` says
 * what was deleted. Undefined for another member, another workspace, or long after: a 404 as ever.
 */
export function deletedJustNow(
  services: Pick<WorkspaceServices, 'recentDeletions'>,
  ctx: Pick<TenantRequestContext, 'tenant' | 'actor'>,
  target: { action: string; targetType: string; targetId: string },
): Record<string, unknown> | undefined {
  return services.recentDeletions.deletedJustNow({ ...target, tenantId: ctx.tenant.id, actorUserId: ctx.actor.userId });
}
