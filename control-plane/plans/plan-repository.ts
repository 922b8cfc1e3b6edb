import { isDeepStrictEqual } from 'node:util';
import { RAISED_UPDATED_AT } from '../../core/db/raised-updated-at';
import type { PlatformDatabase } from '../db/platform-database';
import type { ChangeFeed } from '../change-feed';
import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { verbatim } from '../../core/i18n/message';
import { echoed } from '../../core/cli/cli-io';
import { FEATURE_KEYS, LIMIT_KEYS, type FeatureKey, type LimitKey } from '../../tenant-runtime/plan-catalogue';

export type PlanLimits = Record<LimitKey, number | null>;
export type PlanFeatures = Record<FeatureKey, boolean>;
/** A tenant's own values: only the keys it changes (a limit set to null: unlimited for this tenant). */
export type LimitOverrides = Partial<PlanLimits>;
export type FeatureOverrides = Partial<PlanFeatures>;

export interface PlanRecord {
  id: number;
  key: string;
  name: string;
  limits: PlanLimits;
  features: PlanFeatures;
  isDefault: boolean;
  createdAt: number;
  /**
   * When it last changed, raised by each change (never twice the same, even within a millisecond):
   * also the plan's revision, which its edit form sends back (docs/decisions/048-stale-revisions.md).
   */
  updatedAt: number;
}

export interface PlanInput {
  key: string;
  name: string;
  limits: Partial<PlanLimits>;
  features: Partial<PlanFeatures>;
}

/** A tenant's plan and overrides, as stored on its row. */
export interface TenantPlanRow {
  planId: number | null;
  limitOverrides: LimitOverrides;
  featureOverrides: FeatureOverrides;
  /**
   * The revision of the tenant's plan and overrides, which their console form and API clients send
   * back: the row's `updated_at`, raised by each change of them (and by other changes of the row).
   */
  revision: number;
}

interface PlanRow {
  id: number;
  key: string;
  name: string;
  limits_json: string;
  features_json: string;
  is_default: number;
  created_at: number;
  updated_at: number;
}

function parseObject(json: string | null): Record<string, unknown> {
  if (!json) return {};
  const value: unknown = JSON.parse(json);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Stored limits, complete: a key missing (added to the catalogue after the plan was saved) is unlimited. */
export function completeLimits(values: Record<string, unknown>): PlanLimits {
  return Object.fromEntries(LIMIT_KEYS.map((key) => [key, typeof values[key] === 'number' ? values[key] : null])) as PlanLimits;
}

/** Stored features, complete: a key missing (added after the plan was saved) is on, as it was before it could be turned off. */
export function completeFeatures(values: Record<string, unknown>): PlanFeatures {
  return Object.fromEntries(FEATURE_KEYS.map((key) => [key, values[key] !== false])) as PlanFeatures;
}

function onlyLimitKeys(values: Record<string, unknown>): LimitOverrides {
  return Object.fromEntries(LIMIT_KEYS.filter((key) => key in values).map((key) => [key, typeof values[key] === 'number' ? values[key] : null]));
}

function onlyFeatureKeys(values: Record<string, unknown>): FeatureOverrides {
  return Object.fromEntries(FEATURE_KEYS.filter((key) => typeof values[key] === 'boolean').map((key) => [key, values[key]]));
}

function toRecord(row: PlanRow): PlanRecord {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    limits: completeLimits(parseObject(row.limits_json)),
    features: completeFeatures(parseObject(row.features_json)),
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A change of a plan: its name, and the limits and features given (the others stay). */
export type PlanChange = { name?: string; limits?: Partial<PlanLimits>; features?: Partial<PlanFeatures> };

/** A plan's name, limits and features as a change leaves them, in the row's form. */
function planAfter(plan: PlanRecord, changes: PlanChange) {
  return {
    name: changes.name ?? plan.name,
    limits: JSON.stringify({ ...plan.limits, ...changes.limits }),
    features: JSON.stringify({ ...plan.features, ...changes.features }),
  };
}

/** Whether a change would change the plan (the same form sent again would not). */
export function changesPlan(plan: PlanRecord, changes: PlanChange): boolean {
  const after = planAfter(plan, changes);
  return after.name !== plan.name || after.limits !== JSON.stringify(plan.limits) || after.features !== JSON.stringify(plan.features);
}

/** A tenant's overrides as a replacement leaves them (a part not given: the current one), in the form they are read back. */
function overridesAfter(current: TenantPlanRow, overrides: { limits?: LimitOverrides; features?: FeatureOverrides }) {
  return { limits: onlyLimitKeys(overrides.limits ?? current.limitOverrides), features: onlyFeatureKeys(overrides.features ?? current.featureOverrides) };
}

/** Whether replacing a tenant's overrides would change them (the same form sent again would not). */
export function changesOverrides(current: TenantPlanRow, overrides: { limits?: LimitOverrides; features?: FeatureOverrides }): boolean {
  const { limits, features } = overridesAfter(current, overrides);
  return !isDeepStrictEqual([limits, features], [current.limitOverrides, current.featureOverrides]);
}

/** The plans table and the plan columns of tenants. Every change is told to the change feed. */
export class PlanRepository {
  constructor(
    private readonly db: PlatformDatabase,
    private readonly changes: ChangeFeed,
  ) {}

  list(): PlanRecord[] {
    return this.db.all<PlanRow>('select * from plans order by is_default desc, name, key').map(toRecord);
  }

  /** How many live tenants (not purged) are on each plan, by plan id. */
  tenantCounts(): Map<number, number> {
    const rows = this.db.all<{ plan_id: number; n: number }>("select plan_id, count(*) as n from tenants where status <> 'purged' group by plan_id");
    return new Map(rows.map((r) => [r.plan_id, r.n]));
  }

  findByKey(key: string): PlanRecord | undefined {
    const row = this.db.get<PlanRow>('select * from plans where key = ?', [key]);
    return row && toRecord(row);
  }

  findById(id: number): PlanRecord | undefined {
    const row = this.db.get<PlanRow>('select * from plans where id = ?', [id]);
    return row && toRecord(row);
  }

  /** The plan new tenants get (seeded by the migration; there is always exactly one). */
  findDefault(): PlanRecord {
    const row = this.db.get<PlanRow>('select * from plans where is_default = 1');
    if (!row) throw new Error('no default plan: platform-migrations/0027-create-plans.ts seeds one');
    return toRecord(row);
  }

  /** The plan by key, or a 404 naming it. */
  require(key: string): PlanRecord {
    const plan = this.findByKey(key);
    if (!plan) throw new NotFoundError(verbatim(`No plan "${echoed(key)}".`), { plan: key });
    return plan;
  }

  create(input: PlanInput): PlanRecord {
    const now = Date.now();
    return this.db.write(() => {
      if (this.findByKey(input.key)) throw new ConflictError(verbatim(`A plan "${input.key}" exists already.`), { plan: input.key });
      this.db.run('insert into plans (key, name, limits_json, features_json, is_default, created_at, updated_at) values (?, ?, ?, ?, 0, ?, ?)', [
        input.key,
        input.name,
        JSON.stringify(completeLimits(input.limits)),
        JSON.stringify(completeFeatures(input.features)),
        now,
        now,
      ]);
      this.changes.plansChanged();
      return this.require(input.key);
    });
  }

  /**
   * Changes a plan's name, and the limits and features given (the others stay). A change that
   * changes nothing writes nothing, and keeps the plan's revision.
   */
  update(key: string, changes: PlanChange): PlanRecord {
    return this.db.write(() => {
      const plan = this.require(key);
      if (!changesPlan(plan, changes)) return plan;
      const { name, limits, features } = planAfter(plan, changes);
      this.db.run(`update plans set name = ?, limits_json = ?, features_json = ?, updated_at = ${RAISED_UPDATED_AT} where id = ?`, [
        name,
        limits,
        features,
        Date.now(),
        plan.id,
      ]);
      this.changes.plansChanged();
      return this.require(key);
    });
  }

  setDefault(key: string): PlanRecord {
    return this.db.write(() => {
      const plan = this.require(key);
      this.db.run(`update plans set is_default = 0, updated_at = ${RAISED_UPDATED_AT} where is_default = 1 and id <> ?`, [Date.now(), plan.id]);
      this.db.run(`update plans set is_default = 1, updated_at = ${RAISED_UPDATED_AT} where id = ?`, [Date.now(), plan.id]);
      this.changes.plansChanged();
      return this.require(key);
    });
  }

  tenantPlan(tenantId: string): TenantPlanRow | undefined {
    const row = this.db.get<{ plan_id: number | null; limit_overrides_json: string | null; feature_overrides_json: string | null; updated_at: number }>(
      'select plan_id, limit_overrides_json, feature_overrides_json, updated_at from tenants where id = ?',
      [tenantId],
    );
    if (!row) return undefined;
    return {
      planId: row.plan_id,
      limitOverrides: onlyLimitKeys(parseObject(row.limit_overrides_json)),
      featureOverrides: onlyFeatureKeys(parseObject(row.feature_overrides_json)),
      revision: row.updated_at,
    };
  }

  setTenantPlan(tenantId: string, planId: number): void {
    this.db.run(`update tenants set plan_id = ?, updated_at = ${RAISED_UPDATED_AT} where id = ?`, [planId, Date.now(), tenantId]);
    this.changes.plansChanged(tenantId);
  }

  /**
   * Replaces the tenant's overrides (an empty object: none, the plan's values apply). Overrides
   * left as they are write nothing, and keep the revision of the tenant's plan and overrides.
   */
  setTenantOverrides(tenantId: string, overrides: { limits?: LimitOverrides; features?: FeatureOverrides }): void {
    const changed = this.db.write(() => {
      const current = this.tenantPlan(tenantId);
      if (!current) throw new NotFoundError();
      if (!changesOverrides(current, overrides)) return false;
      const { limits, features } = overridesAfter(current, overrides);
      this.db.run(`update tenants set limit_overrides_json = ?, feature_overrides_json = ?, updated_at = ${RAISED_UPDATED_AT} where id = ?`, [
        Object.keys(limits).length ? JSON.stringify(limits) : null,
        Object.keys(features).length ? JSON.stringify(features) : null,
        Date.now(),
        tenantId,
      ]);
      return true;
    });
    if (changed) this.changes.plansChanged(tenantId);
  }
}
