import { msg, type Message } from '../core/i18n/message';

/** Every limit a plan can set. */
export const LIMIT_KEYS = [
  'members',
  'pending_invitations',
  'items',
  'storage_bytes',
  'items_published_per_day',
  'csv_rows_per_month',
  'api_requests_per_day',
  'items_created_per_user_per_day',
] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];

/** What the actions count in the tenant's usage_counters table (workspace/usage/usage-meter.ts). */
export const USAGE_METRICS = ['items_published', 'csv_rows_imported', 'api_requests', 'items_created'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

export interface LimitDefinition {
  label: Message;
  unit: 'count' | 'bytes';
  /** null: a level measured now (members, items, bytes stored); day/month: a counter over that UTC period. */
  period: null | 'day' | 'month';
  /** Counted for each member on their own (the limit applies to each of them). */
  perUser: boolean;
  /** The counter a metered limit reads (null for the levels). */
  metric: UsageMetric | null;
  /** What the workspace itself can do to get back under a level, said when the limit refuses. */
  remedy?: Message;
}

export const LIMITS: Record<LimitKey, LimitDefinition> = {
  members: { label: msg('Members'), unit: 'count', period: null, perUser: false, metric: null },
  pending_invitations: { label: msg('Pending invitations'), unit: 'count', period: null, perUser: false, metric: null },
  items: {
    label: msg('Content items'),
    unit: 'count',
    period: null,
    perUser: false,
    metric: null,
    remedy: msg('Archive and delete items you no longer need to make room.'),
  },
  storage_bytes: { label: msg('Storage'), unit: 'bytes', period: null, perUser: false, metric: null },
  items_published_per_day: { label: msg('Items published per day'), unit: 'count', period: 'day', perUser: false, metric: 'items_published' },
  csv_rows_per_month: { label: msg('CSV rows imported per month'), unit: 'count', period: 'month', perUser: false, metric: 'csv_rows_imported' },
  api_requests_per_day: { label: msg('API requests per day'), unit: 'count', period: 'day', perUser: false, metric: 'api_requests' },
  items_created_per_user_per_day: {
    label: msg('Items created per member per day'),
    unit: 'count',
    period: 'day',
    perUser: true,
    metric: 'items_created',
  },
};

/** Every feature a plan can turn on or off. */
export const FEATURE_KEYS = ['csv', 'custom_roles', 'scheduling', 'attachments', 'branding', 'api'] as const;
export type FeatureKey = (typeof FEATURE_KEYS)[number];

export const FEATURES: Record<FeatureKey, { label: Message }> = {
  csv: { label: msg('CSV import and export') },
  custom_roles: { label: msg('Custom roles') },
  scheduling: { label: msg('Scheduled publishing') },
  attachments: { label: msg('Attachments') },
  branding: { label: msg('White-label branding') },
  api: { label: msg('API access') },
};

/** What one tenant may use: its plan's limits and features with the tenant's overrides applied. */
export interface Entitlements {
  plan: { key: string; name: string };
  /** null: unlimited. */
  limits: Readonly<Record<LimitKey, number | null>>;
  features: Readonly<Record<FeatureKey, boolean>>;
}

/** Everything unlimited and on: what a tenant had before plans existed (and what benches and tools without a control plane use). */
export const UNLIMITED: Entitlements = Object.freeze({
  plan: Object.freeze({ key: 'unlimited', name: 'Unlimited' }),
  limits: Object.freeze(Object.fromEntries(LIMIT_KEYS.map((key) => [key, null])) as Record<LimitKey, number | null>),
  features: Object.freeze(Object.fromEntries(FEATURE_KEYS.map((key) => [key, true])) as Record<FeatureKey, boolean>),
});

export function isLimitKey(value: string): value is LimitKey {
  return (LIMIT_KEYS as readonly string[]).includes(value);
}

export function isFeatureKey(value: string): value is FeatureKey {
  return (FEATURE_KEYS as readonly string[]).includes(value);
}
