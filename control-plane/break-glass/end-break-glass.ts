import type { ControlPlane } from '../control-plane';
import { NotFoundError } from '../../core/errors/app-errors';
import { auditedOperator, type Operator } from '../audit/operator';
import { AccessGrantRepository, type GrantEnd } from './access-grant-repository';

/**
 * Ends one of the operator's own open grants (the banner's stop button, or its expiry found on a
 * request). Another user's grant, or one already ended, is not found.
 */
export function endBreakGlass(platform: ControlPlane, op: Operator & { userId: string }, grantId: number, how: GrantEnd): { slug: string } {
  const grants = new AccessGrantRepository(platform.db);
  return platform.db.write(() => {
    const grant = grants.findOpenOfUser(grantId, op.userId);
    if (!grant || !grants.end(grant.id, how)) throw new NotFoundError('No such break-glass access.');
    platform.audit.record({
      action: 'break_glass.end',
      ...auditedOperator(op),
      tenantId: grant.tenant_id,
      targetType: 'tenant',
      targetId: grant.tenant_id,
      after: { grantId: grant.id, how },
    });
    return { slug: grant.slug };
  });
}
