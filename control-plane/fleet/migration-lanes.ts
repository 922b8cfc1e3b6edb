import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MigrationSource } from '../../core/db/migration-runner';
import { migrateTenantBatch, type BatchEntry, type TenantMigration } from './migrate-one-tenant';
import type { WorkerData, WorkerReply, WorkerRequest } from './migration-worker-protocol';

/** Each lane above one is a worker thread with its own modules, connections and memory. */
export const MAX_LANES = 16;

/**
 * Lanes when none are asked for: one per core (at most MAX_LANES). A tenant's migration waits on
 * its flushes about as long as it computes, so every core keeps a lane busy while another waits.
 */
export function defaultLanes(): number {
  return Math.max(1, Math.min(MAX_LANES, os.availableParallelism()));
}

/** Migrates one batch of tenant files at a time (migrateTenantBatch: their WALs are flushed together). */
export interface TenantMigrator {
  migrate(tenantIds: string[]): Promise<BatchEntry[]>;
  close(): Promise<void>;
}

/** One tenant through a migrator (a batch of one); its failure is thrown. */
export async function migrateOne(migrator: TenantMigrator, tenantId: string): Promise<TenantMigration> {
  const [entry] = await migrator.migrate([tenantId]);
  if (!entry.ok) throw entry.error;
  return entry.result;
}

/** On the calling thread: no start-up cost, no parallelism (better-sqlite3 is synchronous). */
export function inProcessMigrator(dataDir: string, source: MigrationSource): TenantMigrator {
  return {
    migrate: (tenantIds) => migrateTenantBatch(dataDir, tenantIds, source),
    close: async () => {},
  };
}

const ENTRY = path.join(__dirname, 'migration-worker-entry.js');

/**
 * On a worker thread of its own, so that several tenants migrate truly at the same time (file
 * I/O and SQLite work overlap). A worker that dies fails the batch it held; the next batch
 * starts a new worker.
 */
export class WorkerMigrator implements TenantMigrator {
  private worker?: Worker;
  private ready?: Promise<void>;
  private pending?: { resolve: (entries: BatchEntry[]) => void; reject: (e: Error) => void };

  constructor(
    private readonly dataDir: string,
    private readonly source: MigrationSource,
  ) {}

  /** Starts the thread ahead of the first tenant (loading modules takes a few hundred ms). */
  start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(ENTRY, { workerData: { dataDir: this.dataDir, migrationsDir: this.source.dir } satisfies WorkerData });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if ('ready' in reply) {
          if (reply.fingerprint === this.source.fingerprint) resolve();
          else reject(new Error('the migration files changed while the fleet migration started; run it again'));
          return;
        }
        const pending = this.pending;
        if (!pending) return;
        this.pending = undefined;
        if ('failed' in reply) pending.reject(new Error(reply.failed));
        else pending.resolve(reply.entries.map((e) => (e.ok ? e : { tenantId: e.tenantId, ok: false, error: new Error(e.error) })));
      });
      const stopped = (error: Error) => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.ready = undefined;
        reject(error);
        this.pending?.reject(error);
        this.pending = undefined;
      };
      worker.on('error', (error) => stopped(new Error(`migration worker failed: ${error.message}`)));
      worker.on('exit', (code) => stopped(new Error(`migration worker stopped (exit code ${code})`)));
    });
    return this.ready;
  }

  async migrate(tenantIds: string[]): Promise<BatchEntry[]> {
    await this.start();
    const worker = this.worker;
    if (!worker) throw new Error('migration worker stopped');
    return new Promise<BatchEntry[]>((resolve, reject) => {
      this.pending = { resolve, reject };
      worker.postMessage({ tenantIds } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) await worker.terminate();
  }
}
