import { isDeepStrictEqual } from 'node:util';
import type { ControlPlane } from '../control-plane';
import { parseInput } from '../../core/http/parse-input';
import { auditedOperator, type Operator } from '../audit/operator';
import type { TenantRecord } from '../tenants/tenant-record';
import { FEATURE_KEYS, LIMIT_KEYS, isFeatureKey, isLimitKey } from '../../tenant-runtime/plan-catalogue';
import { changesOverrides, changesPlan, type FeatureOverrides, type LimitOverrides, type PlanRecord, type TenantPlanRow } from './plan-repository';
import { completePlanFields, entitlementFieldsSchema, featuresOf, limitsOf, planCreateSchema, planUpdateSchema } from './plan-schemas';
import { NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { verbatim } from '../../core/i18n/message';
import { checkFormRevision } from '../../core/http/revision-form';

/**
 * How input gives a plan's values: a page's form holds every field (blank limit: unlimited,
 * unticked feature: off); the CLI gives only what it changes.
 */
export type PlanInputMode = 'complete' | 'partial';

function snapshot(plan: PlanRecord) {
  return { key: plan.key, name: plan.name, limits: plan.limits, features: plan.features, isDefault: plan.isDefault };
}

export function createPlan(platform: ControlPlane, op: Operator, input: unknown, mode: PlanInputMode): PlanRecord {
  const fields = parseInput(planCreateSchema, input);
  const values = mode === 'complete' ? completePlanFields(fields) : { limits: limitsOf(fields), features: featuresOf(fields) };
  return platform.db.write(() => {
    const plan = platform.plans.create({ key: fields.key, name: fields.name, ...values });
    platform.audit.record({ ...auditedOperator(op), action: 'plan.create', targetType: 'plan', targetId: plan.key, after: snapshot(plan) });
    return plan;
  });
}

/** The revision a change was made on (the page's, the client's): another current one refuses it (409, nothing written). */
export interface RevisionOption {
  revision?: number;
}

/**
 * Changes a plan. Made on a revision of the plan that is no longer current (someone saved its form,
 * or the CLI changed it, since the form was opened), it is refused whole: the console's form holds
 * every limit and feature, and would write the old values back. Unless it changes nothing (the same
 * form sent again by a double click on Save): that is taken as a save, nothing written.
 */
export function updatePlan(platform: ControlPlane, op: Operator, key: string, input: unknown, mode: PlanInputMode, options: RevisionOption = {}): PlanRecord {
  const fields = parseInput(planUpdateSchema, input);
  const values = mode === 'complete' ? completePlanFields(fields) : { limits: limitsOf(fields), features: featuresOf(fields) };
  return platform.db.write(() => {
    const current = platform.plans.require(key);
    checkFormRevision(
      current.updatedAt,
      options.revision,
      () => changesPlan(current, { name: fields.name, ...values }),
      verbatim('This plan was changed since you opened it: the form shows it as it is now; make your change again.'),
      { plan: key },
    );
    const before = snapshot(current);
    const plan = platform.plans.update(key, { name: fields.name, ...values });
    const after = snapshot(plan);
    platform.scheduleHints.wakeHeldBack(Date.now());
    // An edit that changed nothing (the same form sent twice, a double click) is no change to record.
    if (JSON.stringify(after) !== JSON.stringify(before))
      platform.audit.record({ ...auditedOperator(op), action: 'plan.update', targetType: 'plan', targetId: key, before, after });
    return plan;
  });
}

export function setDefaultPlan(platform: ControlPlane, op: Operator, key: string): PlanRecord {
  return platform.db.write(() => {
    const before = platform.plans.findDefault();
    // The default made the default again is no change: nothing written, nothing recorded.
    if (before.key === key) return before;
    const plan = platform.plans.setDefault(key);
    platform.scheduleHints.wakeHeldBack(Date.now());
    platform.audit.record({
      ...auditedOperator(op),
      action: 'plan.default',
      targetType: 'plan',
      targetId: key,
      before: { default: before.key },
      after: { default: key },
    });
    return plan;
  });
}

/** The plan a form or an API request names for a tenant: one that exists, else a 400 on `plan`. */
export function offeredPlanKey(platform: ControlPlane, key: unknown): string {
  if (typeof key !== 'string' || !platform.plans.findByKey(key)) throw ValidationError.single('plan', 'must be one of the plans offered');
  return key;
}

export function setTenantPlan(platform: ControlPlane, op: Operator, tenant: TenantRecord, planKey: string, options: RevisionOption = {}): PlanRecord {
  return platform.db.write(() => {
    assertHoldsAPlan(platform, tenant);
    const row = requireTenantPlan(platform, tenant);
    const plan = platform.plans.require(planKey);
    const before = platform.planBook.entitlementsOf(tenant.id).plan.key;
    checkTenantPlanRevision(row, tenant, options.revision, () => before !== plan.key);
    // A tenant already on that plan (named, or by default) is no change: nothing written, nothing recorded.
    if (before === plan.key) return plan;
    platform.plans.setTenantPlan(tenant.id, plan.id);
    platform.scheduleHints.wakeHeldBack(Date.now(), tenant.id);
    platform.audit.record({
      ...auditedOperator(op),
      action: 'tenant.plan',
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      before: { plan: before },
      after: { plan: plan.key },
    });
    return plan;
  });
}

/**
 * Changes a tenant's overrides. `replace` (the admin page's form): the fields given are all its
 * overrides, a blank one none. `merge` (the CLI's set): the fields given are set, the others kept.
 */
export function setTenantOverrides(
  platform: ControlPlane,
  op: Operator,
  tenant: TenantRecord,
  input: unknown,
  how: 'replace' | 'merge',
  options: RevisionOption = {},
): void {
  const fields = parseInput(entitlementFieldsSchema, input);
  changeTenantOverrides(platform, op, tenant, { limits: limitsOf(fields), features: featuresOf(fields) }, how, options);
}

/** The same change with the values already parsed (the admin API's JSON: numbers, null for unlimited, booleans). */
export function changeTenantOverrides(
  platform: ControlPlane,
  op: Operator,
  tenant: TenantRecord,
  given: Overrides,
  how: 'replace' | 'merge',
  options: RevisionOption = {},
): void {
  writeOverrides(
    platform,
    op,
    tenant,
    (current) => (how === 'replace' ? given : { limits: { ...current.limits, ...given.limits }, features: { ...current.features, ...given.features } }),
    options,
  );
}

/**
 * The tenant's console form: its plan and every override (`replace`), one change checked once
 * against the revision the page showed (`checkTenantPlanRevision`), so a form that changes nothing
 * (sent again by a double click on Save) is a save, and one that changes the plan or an override on
 * an older revision is refused whole.
 */
export function setTenantPlanAndOverrides(
  platform: ControlPlane,
  op: Operator,
  tenant: TenantRecord,
  planKey: string,
  input: unknown,
  options: RevisionOption = {},
): void {
  const fields = parseInput(entitlementFieldsSchema, input);
  const given: Overrides = { limits: limitsOf(fields), features: featuresOf(fields) };
  platform.db.write(() => {
    assertHoldsAPlan(platform, tenant);
    const row = requireTenantPlan(platform, tenant);
    checkTenantPlanRevision(row, tenant, options.revision, () => {
      const plan = platform.plans.require(planKey);
      return platform.planBook.entitlementsOf(tenant.id).plan.key !== plan.key || changesOverrides(row, given);
    });
    writeOverrides(platform, op, tenant, () => given);
    setTenantPlan(platform, op, tenant, planKey);
  });
}

function requireTenantPlan(platform: ControlPlane, tenant: TenantRecord): TenantPlanRow {
  const row = platform.plans.tenantPlan(tenant.id);
  if (!row) throw new NotFoundError('No such tenant.');
  return row;
}

/**
 * The tenant's console form holds its plan and every override: one made on a revision of them that
 * is no longer current (changed since by the CLI, the admin API, another operator) would write the
 * old values back, and is refused whole, unless it changes nothing (`changes`: the form sent again).
 * The revision is the tenant row's, so another change of the row (a rename, a suspension) refuses
 * it too: the form is shown again as things are now.
 */
function checkTenantPlanRevision(row: TenantPlanRow, tenant: TenantRecord, expected: number | undefined, changes: () => boolean): void {
  checkFormRevision(
    row.revision,
    expected,
    changes,
    verbatim('This tenant was changed since you opened its page: the form shows its plan and overrides as they are now; make your change again.'),
    { tenantId: tenant.id },
  );
}

/** Clears the named overrides (limit or feature keys), or all of them when none is named. */
export function clearTenantOverrides(platform: ControlPlane, op: Operator, tenant: TenantRecord, keys: string[]): void {
  const unknown = keys.filter((key) => !isLimitKey(key) && !isFeatureKey(key));
  if (unknown.length)
    throw ValidationError.single(
      'keys',
      verbatim(`has unknown keys: ${unknown.join(', ')} (limits: ${LIMIT_KEYS.join(', ')}; features: ${FEATURE_KEYS.join(', ')})`),
    );
  writeOverrides(platform, op, tenant, (current) => {
    if (!keys.length) return { limits: {}, features: {} };
    const limits = Object.fromEntries(Object.entries(current.limits).filter(([key]) => !keys.includes(key)));
    const features = Object.fromEntries(Object.entries(current.features).filter(([key]) => !keys.includes(key)));
    return { limits, features };
  });
}

export type Overrides = { limits: LimitOverrides; features: FeatureOverrides };

/** A purged tenant (a tombstone) has no plan any more: whatever names it, nothing is written for it. */
function assertHoldsAPlan(platform: ControlPlane, tenant: TenantRecord): void {
  if (platform.tenants.statusOf(tenant.id) === 'purged') throw new NotFoundError('No such tenant.');
}

function writeOverrides(
  platform: ControlPlane,
  op: Operator,
  tenant: TenantRecord,
  next: (current: Overrides) => Overrides,
  options: RevisionOption = {},
): void {
  platform.db.write(() => {
    assertHoldsAPlan(platform, tenant);
    const row = requireTenantPlan(platform, tenant);
    const current = { limits: row.limitOverrides, features: row.featureOverrides };
    const after = next(current);
    checkTenantPlanRevision(row, tenant, options.revision, () => changesOverrides(row, after));
    platform.plans.setTenantOverrides(tenant.id, after);
    platform.scheduleHints.wakeHeldBack(Date.now(), tenant.id);
    // Overrides left as they were (none given, none to clear, the form sent as it was) are no change to record.
    const stored = platform.plans.tenantPlan(tenant.id);
    if (isDeepStrictEqual(current, { limits: stored?.limitOverrides ?? {}, features: stored?.featureOverrides ?? {} })) return;
    platform.audit.record({
      ...auditedOperator(op),
      action: 'tenant.overrides',
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      before: current,
      after,
    });
  });
}
