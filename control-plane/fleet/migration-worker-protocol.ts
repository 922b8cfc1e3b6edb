import type { TenantMigration } from './migrate-one-tenant';

export interface WorkerData {
  dataDir: string;
  migrationsDir: string;
}

/** A batch of tenants to migrate (migrateTenantBatch). */
export interface WorkerRequest {
  tenantIds: string[];
}

/** One tenant of the batch; an error crosses the thread as its message. */
export type WorkerEntry = { tenantId: string; ok: true; result: TenantMigration } | { tenantId: string; ok: false; error: string };

export type WorkerReply = { ready: true; fingerprint: string } | { entries: WorkerEntry[] } | { failed: string };
