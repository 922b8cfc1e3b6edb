import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { FEATURE_KEYS, FEATURES, LIMIT_KEYS, LIMITS } from '../../tenant-runtime/plan-catalogue';
import { inEnglish } from '../../core/i18n/translator';
import { formatSize } from '../../core/i18n/format-size';
import { DEFAULT_LANGUAGE } from '../../core/i18n/languages';
import type { PlanRecord } from '../plans/plan-repository';

/** The catalogue as the console names it (English only, like every console page). */
export const LIMIT_ROWS = LIMIT_KEYS.map((key) => ({ key, label: inEnglish(LIMITS[key].label), bytes: LIMITS[key].unit === 'bytes' }));
export const FEATURE_ROWS = FEATURE_KEYS.map((key) => ({ key, label: inEnglish(FEATURES[key].label) }));

/** A limit as the console shows it and as its form field holds it. */
export function shownLimit(value: number | null | undefined, bytes: boolean): string {
  if (value === undefined) return '';
  if (value === null) return 'unlimited';
  return bytes && value >= 1024 ? `${value} (${formatSize(value, DEFAULT_LANGUAGE)})` : String(value);
}

/** A plan's form values (limit_x, feature_x), and the revision its form sends back: a save made on another is refused. */
export function planFormValues(plan: PlanRecord): Record<string, string> {
  const values: Record<string, string> = { key: plan.key, name: plan.name, revision: String(plan.updatedAt) };
  for (const key of LIMIT_KEYS) values[`limit_${key}`] = plan.limits[key] === null ? '' : String(plan.limits[key]);
  for (const key of FEATURE_KEYS) values[`feature_${key}`] = plan.features[key] ? 'on' : '';
  return values;
}

export function loadPlansPage(platform: ControlPlane, notice?: string) {
  const counts = platform.plans.tenantCounts();
  return {
    title: 'Plans',
    section: 'plans',
    plans: platform.plans.list().map((plan) => ({ plan, tenants: counts.get(plan.id) ?? 0 })),
    limitRows: LIMIT_ROWS,
    featureRows: FEATURE_ROWS,
    shownLimit,
    notice,
  };
}

export function loadPlanPage(platform: ControlPlane, key: string, notice?: string) {
  const plan = platform.plans.require(key);
  return { title: `Plan ${plan.name}`, section: 'plans', plan, current: planFormValues(plan), limitRows: LIMIT_ROWS, featureRows: FEATURE_ROWS, notice };
}

/** What the tenant page shows of its plan: the plan, the overrides, the entitlements they give. */
export function tenantPlanSection(platform: ControlPlane, tenant: TenantRecord) {
  const row = platform.plans.tenantPlan(tenant.id);
  const entitlements = platform.planBook.entitlementsOf(tenant.id);
  const overrides: Record<string, string> = {};
  for (const key of LIMIT_KEYS) {
    const value = row?.limitOverrides[key];
    if (value !== undefined) overrides[`limit_${key}`] = value === null ? 'unlimited' : String(value);
  }
  for (const key of FEATURE_KEYS) {
    const value = row?.featureOverrides[key];
    if (value !== undefined) overrides[`feature_${key}`] = value ? 'on' : 'off';
  }
  return {
    plans: platform.plans.list(),
    planKey: entitlements.plan.key,
    // The revision of the plan and overrides the page shows, sent back by the form: a save made on another is refused.
    revision: row ? String(row.revision) : '',
    entitlements,
    overrides,
    limitRows: LIMIT_ROWS,
    featureRows: FEATURE_ROWS,
    shownLimit,
  };
}
