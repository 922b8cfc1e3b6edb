import { parentPort, workerData } from 'node:worker_threads';
import { loadMigrationSource } from '../../core/db/migration-runner';
import { migrateTenantBatch } from './migrate-one-tenant';
import type { WorkerData, WorkerEntry, WorkerReply, WorkerRequest } from './migration-worker-protocol';

/** Runs in a worker thread: migrates one batch of tenant files per request, one request at a time. */
const { dataDir, migrationsDir } = workerData as WorkerData;
const source = loadMigrationSource(migrationsDir);
const port = parentPort;
if (!port) throw new Error('migration-worker runs only as a worker thread');

port.on('message', (request: WorkerRequest) => {
  migrateTenantBatch(dataDir, request.tenantIds, source).then(
    (batch) => {
      const entries: WorkerEntry[] = batch.map((e) => (e.ok ? e : { tenantId: e.tenantId, ok: false, error: e.error.message }));
      port.postMessage({ entries } satisfies WorkerReply);
    },
    (error: unknown) => port.postMessage({ failed: error instanceof Error ? error.message : String(error) } satisfies WorkerReply),
  );
});
port.postMessage({ ready: true, fingerprint: source.fingerprint } satisfies WorkerReply);
