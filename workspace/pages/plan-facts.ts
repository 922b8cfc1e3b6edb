import { formatSize } from '../../core/i18n/format-size';
import type { Language } from '../../core/i18n/languages';
import { FEATURE_KEYS, FEATURES, LIMIT_KEYS, LIMITS, type Entitlements } from '../../tenant-runtime/plan-catalogue';

export interface PlanFacts {
  name: string;
  /** Each limit's label and value as shown (null: unlimited). */
  limits: Array<{ key: string; label: string; value: string | null }>;
  features: Array<{ key: string; label: string; enabled: boolean }>;
}

/** The workspace's plan as its members read it, in their language: labels (messages) and values, never a form. */
export function planFacts(entitlements: Entitlements, language: Language): PlanFacts {
  return {
    name: entitlements.plan.name,
    limits: LIMIT_KEYS.map((key) => {
      const limit = entitlements.limits[key];
      return { key, label: LIMITS[key].label, value: limit === null ? null : LIMITS[key].unit === 'bytes' ? formatSize(limit, language) : String(limit) };
    }),
    features: FEATURE_KEYS.map((key) => ({ key, label: FEATURES[key].label, enabled: entitlements.features[key] })),
  };
}
