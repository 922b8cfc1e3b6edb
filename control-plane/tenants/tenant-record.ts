import type { Language } from '../../core/i18n/languages';

/**
 * Where a tenant stands. `provisioning` and `failed`: being made, or its making failed.
 * `active` and `suspended`: live (suspended answers members with a notice). `maintenance`: live
 * but offline for seconds while an operation (restore, import) swaps its data. `archived`: its
 * files moved out of the live tree, restorable for a window. `purged`: files gone, the row kept
 * as a tombstone. `damaged`: its file is missing or unreadable; reported, never migrated over.
 * Which status may follow which: control-plane/lifecycle/tenant-transitions.ts.
 */
export const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'maintenance', 'archived', 'purged', 'damaged', 'failed'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** A status as it reads after "is" in a sentence: "is suspended", "is in maintenance". */
export function statusWords(status: TenantStatus): string {
  return status === 'maintenance' ? 'in maintenance' : status;
}

/**
 * A file operation recorded before it starts, so the next start finishes one that was cut off;
 * `rename`: a rename's write of the workspace's own display name, after the row's (decision 055).
 */
export type PendingOperation = 'archive' | 'restore' | 'purge' | 'rename';

export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  /** The workspace's own display name, copied from its settings; null until its admins set one. */
  display_name: string | null;
  status: TenantStatus;
  /**
   * A copy of the workspace's language (the setting lives in its own file), for its members' pages
   * while that file cannot be opened; null: not known here (platform migration 0041).
   */
  language: string | null;
  schema_version: string | null;
  placement: string;
  /** What went wrong: why provisioning failed, why the file is damaged. */
  failure_reason: string | null;
  /** Why an operator chose the status (a suspension's reason). */
  status_reason: string | null;
  /** Suspended until (then it resumes by itself), or archived and restorable until (then purged). */
  status_until: number | null;
  status_changed_at: number | null;
  status_changed_by: string | null;
  pending_operation: PendingOperation | null;
  /** The first owner of a tenant being provisioned; cleared when it becomes active. */
  pending_owner_email: string | null;
  /** The user who made it (a super admin, or the owner of a self-service workspace); null: the CLI, or unknown. */
  created_by: string | null;
  /** 1 when a signed-in user created it as their own workspace (self-service), 0 otherwise. */
  self_service: number;
  /** Its plan (control-plane/plans); overrides are JSON objects of the limits and features it changes. */
  plan_id: number | null;
  limit_overrides_json: string | null;
  feature_overrides_json: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * What the control plane keeps a copy of from a workspace's own settings: its display name (the
 * switcher, the console and mails show it; null: none in the file, the super admin's name stands)
 * and its language (the pages its members get while its file cannot be opened speak it).
 */
export interface SettingsCopy {
  displayName: string | null;
  language: Language;
}
