import type { TenantStatus } from '../tenants/tenant-record';

export const TENANT_ACTIONS = [
  'activate',
  'fail',
  'roll-back',
  'retry',
  'discard',
  'suspend',
  'resume',
  'archive',
  'restore',
  'purge',
  'mark-damaged',
  'recover',
  'take-offline',
  'bring-back',
] as const;
export type TenantAction = (typeof TENANT_ACTIONS)[number];

/** Who may start a transition: a super admin (page or CLI), or the platform itself (a sweep, the router, provisioning). */
export type TransitionActor = 'operator' | 'system';

export interface TenantTransition {
  action: TenantAction;
  from: TenantStatus;
  /** `previous`: the status the tenant had before it entered `from` (restore puts back what was archived). */
  to: TenantStatus | 'previous';
  by: readonly TransitionActor[];
  /** Destructive: the operator confirms by typing the slug (UI) or with --yes (CLI). */
  confirm: boolean;
  label: string;
}

const OPERATOR = ['operator'] as const;
const SYSTEM = ['system'] as const;
const BOTH = ['operator', 'system'] as const;
const ARCHIVABLE: TenantStatus[] = ['active', 'suspended', 'damaged'];
const DAMAGEABLE: TenantStatus[] = ['active', 'suspended'];
/** Statuses whose data a backup may replace (an archived or purged tenant has no live data to replace). */
const RESTORABLE_FROM_BACKUP: TenantStatus[] = ['active', 'suspended', 'damaged'];

/**
 * The one table of tenant statuses: which action moves a tenant from which status to which,
 * who may start it, and whether it asks for confirmation. Every status change goes through
 * control-plane/lifecycle/apply-transition.ts, which refuses anything not listed here; the
 * console shows only the buttons this table allows.
 */
export const TENANT_TRANSITIONS: readonly TenantTransition[] = [
  { action: 'activate', from: 'provisioning', to: 'active', by: SYSTEM, confirm: false, label: 'Activate' },
  { action: 'fail', from: 'provisioning', to: 'failed', by: SYSTEM, confirm: false, label: 'Mark failed' },
  // Provisioning cut off before its file was in place: the row becomes a tombstone and frees the slug.
  { action: 'roll-back', from: 'provisioning', to: 'purged', by: SYSTEM, confirm: false, label: 'Roll back' },
  { action: 'retry', from: 'failed', to: 'provisioning', by: OPERATOR, confirm: false, label: 'Retry provisioning' },
  { action: 'discard', from: 'failed', to: 'purged', by: OPERATOR, confirm: true, label: 'Discard' },
  { action: 'suspend', from: 'active', to: 'suspended', by: OPERATOR, confirm: false, label: 'Suspend' },
  // The system resumes a suspension whose end date has come.
  { action: 'resume', from: 'suspended', to: 'active', by: BOTH, confirm: false, label: 'Resume' },
  ...ARCHIVABLE.map((from): TenantTransition => ({ action: 'archive', from, to: 'archived', by: OPERATOR, confirm: true, label: 'Archive' })),
  // The system finishes a restore an operator started and a crash cut off.
  { action: 'restore', from: 'archived', to: 'previous', by: BOTH, confirm: false, label: 'Restore' },
  // The system purges an archive whose restore window has passed.
  { action: 'purge', from: 'archived', to: 'purged', by: BOTH, confirm: true, label: 'Purge now' },
  ...DAMAGEABLE.map((from): TenantTransition => ({ action: 'mark-damaged', from, to: 'damaged', by: SYSTEM, confirm: false, label: 'Mark damaged' })),
  // A damaged tenant whose file passes its checks again (repaired by hand) goes back online: doctor --fix.
  { action: 'recover', from: 'damaged', to: 'active', by: BOTH, confirm: false, label: 'Recheck and bring back online' },
  // A restore from a backup (its own page and command) takes the tenant offline while its data is
  // swapped: members get 503 with Retry-After. Steps of that operation, not buttons of their own.
  ...RESTORABLE_FROM_BACKUP.map((from): TenantTransition => ({
    action: 'take-offline',
    from,
    to: 'maintenance',
    by: SYSTEM,
    confirm: false,
    label: 'Take offline for a restore',
  })),
  // ...and brings it back as it was (a suspension with its reason and end date), restored or rolled back.
  { action: 'bring-back', from: 'maintenance', to: 'previous', by: SYSTEM, confirm: false, label: 'Bring back online' },
];

export function findTenantTransition(action: TenantAction, from: TenantStatus): TenantTransition | undefined {
  return TENANT_TRANSITIONS.find((t) => t.action === action && t.from === from);
}

/** The statuses this action is listed from. */
export function statusesAllowing(action: TenantAction): TenantStatus[] {
  return TENANT_TRANSITIONS.filter((t) => t.action === action).map((t) => t.from);
}

/** What an operator may do to a tenant in this status (the console's buttons). */
export function operatorActionsFrom(from: TenantStatus): TenantTransition[] {
  return TENANT_TRANSITIONS.filter((t) => t.from === from && t.by.includes('operator'));
}

/** Statuses whose tenant has its folder in the live tree (data/tenants/<id>/). */
export const LIVE_STATUSES: readonly TenantStatus[] = ['active', 'suspended', 'maintenance', 'damaged'];
