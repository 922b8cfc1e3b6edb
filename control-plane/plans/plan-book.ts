import { growingLru } from '../../core/cache/growing-lru';
import type { ChangeFeed } from '../change-feed';
import type { Entitlements } from '../../tenant-runtime/plan-catalogue';
import type { PlanRecord, PlanRepository } from './plan-repository';

/** What notices changes another process made to the control plane (the access cache's data_version check). */
export interface OutsideChanges {
  noticeOutsideChanges(): void;
}

/**
 * Each tenant's entitlements (its plan with its overrides), cached so the request path asks the
 * control plane nothing once warm. The plan repository tells the change feed what it changes;
 * a change made by another process (the CLI) is noticed by the access cache's data_version
 * check, which tells the change feed too (control-plane/control-plane.ts).
 */
export class PlanBook {
  private readonly cache = growingLru<string, Entitlements>(20000);

  constructor(
    private readonly plans: PlanRepository,
    changes: ChangeFeed,
    private readonly outside: OutsideChanges = { noticeOutsideChanges() {} },
  ) {
    changes.onPlansChange((tenantId) => {
      if (tenantId) this.cache.delete(tenantId);
      else this.cache.clear();
    });
  }

  entitlementsOf(tenantId: string): Entitlements {
    this.outside.noticeOutsideChanges();
    let hit = this.cache.get(tenantId);
    if (!hit) {
      hit = this.load(tenantId);
      this.cache.set(tenantId, hit);
    }
    return hit;
  }

  private load(tenantId: string): Entitlements {
    const row = this.plans.tenantPlan(tenantId);
    const plan: PlanRecord = (row?.planId != null ? this.plans.findById(row.planId) : undefined) ?? this.plans.findDefault();
    return Object.freeze({
      plan: Object.freeze({ key: plan.key, name: plan.name }),
      limits: Object.freeze({ ...plan.limits, ...row?.limitOverrides }),
      features: Object.freeze({ ...plan.features, ...row?.featureOverrides }),
    });
  }
}
