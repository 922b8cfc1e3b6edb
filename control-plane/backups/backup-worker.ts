import { serveJobs } from '../../core/workers/job-worker';
import { backupTenant, type BackupJob } from './backup-tenant';
import type { BackupManifest } from './backup-manifest';

/** Runs in a worker thread: one tenant backup per job, so the server's event loop stays free. */
serveJobs<BackupJob, BackupManifest>(backupTenant);
