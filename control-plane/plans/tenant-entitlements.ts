import type { ControlPlane } from '../control-plane';
import type { Entitlements } from '../../tenant-runtime/plan-catalogue';
import type { Overrides } from './manage-plans';

/**
 * A tenant's plan, the limits and features in effect, its own overrides of the plan, and the
 * revision of its plan and overrides (what a change sends back to be refused if they changed since).
 */
export type TenantEntitlements = Entitlements & { overrides: Overrides; revision: number };

/** What the CLI's `--json` and the admin API answer about a tenant's plan and limits. */
export function tenantEntitlements(platform: Pick<ControlPlane, 'planBook' | 'plans'>, tenantId: string): TenantEntitlements {
  const entitlements = platform.planBook.entitlementsOf(tenantId);
  const row = platform.plans.tenantPlan(tenantId);
  return {
    ...entitlements,
    overrides: { limits: row?.limitOverrides ?? {}, features: row?.featureOverrides ?? {} },
    revision: row?.revision ?? 0,
  };
}
