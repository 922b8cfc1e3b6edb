import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { slugSchema } from '../../tenant-runtime/slug-rules';
import { reasonSchema } from '../audit/reason-schema';
import { auditedOperator, type Operator } from '../audit/operator';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { AccessGrantRepository } from './access-grant-repository';
import { BREAK_GLASS_STATUSES } from './break-glass-role';

export const breakGlassSchema = z.object({ tenant: slugSchema, reason: reasonSchema });

export interface StartedGrant {
  grantId: number;
  tenant: TenantRecord;
  expiresAt: number;
}

/**
 * Grants a super admin time-boxed, read-only access to a tenant they are not a member of, with
 * the reason they gave, recorded in the tenant's trail (which the platform trail includes). A
 * grant still open for the same tenant is ended and replaced, so one reason covers each visit.
 */
export function startBreakGlass(platform: ControlPlane, op: Operator & { userId: string }, input: unknown): StartedGrant {
  const { tenant: slug, reason } = parseInput(breakGlassSchema, input);
  const grants = new AccessGrantRepository(platform.db);
  return platform.db.write(() => {
    const tenant = platform.tenants.findBySlug(slug);
    if (!tenant) throw ValidationError.single('tenant', 'is not a known workspace');
    if (!BREAK_GLASS_STATUSES.includes(tenant.status))
      throw ValidationError.single('tenant', `is ${statusWords(tenant.status)}; only active and suspended workspaces can be entered`);
    if (platform.memberships.findActive(op.userId, tenant.id)) throw ValidationError.single('tenant', 'is a workspace you are a member of: open it directly');
    const previous = grants.findOpen(op.userId, tenant.id);
    if (previous && grants.end(previous.id, 'stopped')) {
      platform.audit.record({
        action: 'break_glass.end',
        ...auditedOperator(op),
        tenantId: tenant.id,
        targetType: 'tenant',
        targetId: tenant.id,
        after: { grantId: previous.id, how: 'replaced' },
      });
    }
    const expiresAt = Date.now() + platform.config.breakGlassMinutes * 60_000;
    const grantId = grants.insert({ user_id: op.userId, tenant_id: tenant.id, reason, expires_at: expiresAt });
    platform.audit.record({
      action: 'break_glass.start',
      ...auditedOperator(op),
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      after: { grantId, reason, access: 'read-only', expiresAt: new Date(expiresAt).toISOString() },
    });
    return { grantId, tenant, expiresAt };
  });
}
