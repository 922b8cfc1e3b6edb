import type { TenantMigration } from './migrate-one-tenant';

export interface WorkerData {
  dataDir: string;
  migrationsDir: string;
}

export interface WorkerRequest {
  tenantId: string;
}

export type WorkerReply =
  { ready: true; fingerprint: string } | { tenantId: string; ok: true; result: TenantMigration } | { tenantId: string; ok: false; error: string };
