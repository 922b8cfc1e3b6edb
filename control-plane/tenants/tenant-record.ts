/**
 * Where a tenant stands. `provisioning` and `failed`: being made, or its making failed.
 * `active` and `suspended`: live (suspended answers members with a notice). `maintenance`: live
 * but offline for seconds while an operation (restore, import) swaps its data. `archived`: its
 * files moved out of the live tree, restorable for a window. `purged`: files gone, the row kept
 * as a tombstone. `damaged`: its file is missing or unreadable; reported, never migrated over.
 */
export const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'maintenance', 'archived', 'purged', 'damaged', 'failed'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  /** The workspace's own display name, copied from its settings; null until its admins set one. */
  display_name: string | null;
  status: TenantStatus;
  schema_version: string | null;
  placement: string;
  failure_reason: string | null;
  created_at: number;
  updated_at: number;
}
