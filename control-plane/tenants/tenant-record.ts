export type TenantStatus = 'provisioning' | 'active' | 'suspended' | 'failed' | 'archived';

export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  schema_version: string | null;
  placement: string;
  failure_reason: string | null;
  created_at: number;
  updated_at: number;
}
