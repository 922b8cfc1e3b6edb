import { LimitReachedError } from '../core/errors/app-errors';
import { msg, nested, size } from '../core/i18n/message';
import { LIMITS, type Entitlements, type LimitKey } from './plan-catalogue';

/** The role key of a platform operator (a super admin or the CLI) acting on a tenant from outside it. */
export const OPERATOR = 'operator';

/**
 * What a command checks limits against: the tenant's entitlements, and whom the person acting
 * should ask to raise one (an owner asks the platform's administrators; anyone else asks the
 * owners; an operator is told how to raise it).
 */
export interface LimitPolicy {
  entitlements: Entitlements;
  asker: 'owner' | 'member' | 'operator';
  /**
   * The member whose per-member allowances the work counts against: who acts, or for a service
   * token the member who made it (it acts for them). Absent: the command's actor.
   */
  member?: string;
}

export function limitPolicy(entitlements: Entitlements, roleKey: string): LimitPolicy {
  return { entitlements, asker: roleKey === OPERATOR ? 'operator' : roleKey === 'owner' ? 'owner' : 'member' };
}

const ASK = {
  owner: msg("Ask the platform's administrators to raise it."),
  member: msg('Ask the owners of the workspace to have it raised.'),
  operator: msg("Raise the tenant's limit or move it to a larger plan first (tenantry tenants set-limits, set-plan)."),
};

/** The policy of a request: the tenant's entitlements, the role of who acts, and the member it counts for. */
export function limitPolicyOf(ctx: { entitlements: Entitlements; actor: { role: { key: string }; userId: string; actsFor?: string } }): LimitPolicy {
  return { ...limitPolicy(ctx.entitlements, ctx.actor.role.key), member: ctx.actor.actsFor ?? ctx.actor.userId };
}

/** The limit, or null when the tenant has none for this key (nothing to measure then). */
export function limitOf(policy: LimitPolicy | undefined, key: LimitKey): number | null {
  return policy ? policy.entitlements.limits[key] : null;
}

/**
 * Refuses when `adding` more would take the use past the limit. Run inside the same write
 * transaction as the work and its count, so two requests cannot both take the last unit. Work
 * that adds nothing (a logo replaced by a smaller one) passes even over the limit, as a tenant
 * whose plan was lowered below its use is.
 */
export function assertWithinLimit(policy: LimitPolicy | undefined, key: LimitKey, used: number, adding: number): void {
  const max = limitOf(policy, key);
  if (max === null || adding <= 0 || used + adding <= max) return;
  const { label, unit, remedy } = LIMITS[key];
  const shown = (n: number) => (unit === 'bytes' ? size(n) : String(n));
  const values = { label: nested(label), used: shown(used), max: shown(max), ask: nested(ASK[policy?.asker ?? 'member']) };
  throw new LimitReachedError(
    remedy
      ? msg('Limit reached: {{label}}. This workspace uses {{used}} of {{max}}. {{remedy}} {{ask}}', { ...values, remedy: nested(remedy) })
      : msg('Limit reached: {{label}}. This workspace uses {{used}} of {{max}}. {{ask}}', values),
    { limit: key, used, max },
    key === 'api_requests_per_day' ? 429 : 403,
  );
}
