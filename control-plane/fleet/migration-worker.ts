import { parentPort, workerData } from 'node:worker_threads';
import { loadMigrationSource } from '../../core/db/migration-runner';
import { migrateOneTenant } from './migrate-one-tenant';
import type { WorkerData, WorkerReply, WorkerRequest } from './migration-worker-protocol';

/** Runs in a worker thread: migrates one tenant file per request, one request at a time. */
const { dataDir, migrationsDir } = workerData as WorkerData;
const source = loadMigrationSource(migrationsDir);
const port = parentPort;
if (!port) throw new Error('migration-worker runs only as a worker thread');

port.on('message', (request: WorkerRequest) => {
  migrateOneTenant(dataDir, request.tenantId, source).then(
    (result) => port.postMessage({ tenantId: request.tenantId, ok: true, result } satisfies WorkerReply),
    (error: unknown) =>
      port.postMessage({ tenantId: request.tenantId, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies WorkerReply),
  );
});
port.postMessage({ ready: true, fingerprint: source.fingerprint } satisfies WorkerReply);
