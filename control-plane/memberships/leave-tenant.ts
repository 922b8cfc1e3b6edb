import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { Client as AuditClient } from '../../core/http/client-of';
import { isOwner } from './owner-guard';
import { revokeTokensLimitedTo } from '../api-tokens/revoke-api-token';
import { deletedJustNow } from '../audit/repeated-deletion';

export const leaveTenantSchema = z.object({
  tenant_id: z.string({ error: msg('is required') }).regex(/^t[0-9a-f]{24}$/, { error: msg('is not a workspace id') }),
});

/**
 * The user leaves a workspace, and their tokens limited to it are revoked (docs/decisions/050). Refused for its last owner, counting only owners whose account is
 * active (someone must stay able to manage it); the owner count and the change run in one IMMEDIATE transaction, so two owners leaving
 * at once cannot both succeed. The same leave sent again by them moments after, or at once, finds
 * their record of it in that workspace (repeated-deletion.ts) and is answered as done, writing nothing.
 */
export function leaveTenant(platform: ControlPlane, userId: string, input: unknown, client: AuditClient): { tenantId: string; tenantName: string } {
  const { tenant_id: tenantId } = parseInput(leaveTenantSchema, input);
  const left = platform.db.write(() => {
    const tenant = platform.tenants.findById(tenantId);
    const mine = tenant ? platform.memberships.findMemberOfUser(userId, tenantId) : undefined;
    if (!tenant || !mine) {
      // The same leave sent again moments after, or at once (a double click): answered as the first one was.
      const asked = { action: 'membership.leave', targetType: 'user', targetId: userId, actorUserId: userId, tenantId };
      if (tenant && deletedJustNow(platform.db, asked)) return { tenantId, tenantName: tenant.name };
      throw new NotFoundError(msg('You are not a member of that workspace.'));
    }
    if (isOwner(mine) && platform.memberships.countActiveOwners(tenantId, userId) === 0) {
      throw new ConflictError(msg('You are the last owner of {{name}}. Make another member an owner before you leave.', { name: tenant.name }), { tenantId });
    }
    platform.memberships.markRemoved(mine.membership_id, tenantId);
    const user = platform.users.findById(userId);
    const forget: { default_tenant_id?: null; last_tenant_id?: null } = {};
    if (user?.default_tenant_id === tenantId) forget.default_tenant_id = null;
    if (user?.last_tenant_id === tenantId) forget.last_tenant_id = null;
    platform.users.update(userId, forget);
    platform.audit.record({
      action: 'membership.leave',
      actorUserId: userId,
      tenantId,
      targetType: 'user',
      targetId: userId,
      before: { role: mine.role_key, status: 'active' },
      after: { status: 'removed' },
      ...client,
    });
    revokeTokensLimitedTo(platform, { userId, tenantId }, userId, { actorUserId: userId, ...client }, 'member left');
    // Kept with the change; the tenant's webhooks hear of it once it commits.
    platform.tenantEvents.emit(tenantId, { type: 'member.removed', data: { user: { id: userId, email: mine.email }, role: mine.role_key, reason: 'left' } });
    return { tenantId, tenantName: tenant.name };
  });
  return left;
}
