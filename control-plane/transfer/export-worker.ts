import { serveJobs } from '../../core/workers/job-worker';
import { prepareExport, type ExportJob } from './export-tenant';
import type { ExportManifest } from './export-manifest';

/** Runs in a worker thread: copies and checks one tenant for an export, so the server's event loop stays free. */
serveJobs<ExportJob, ExportManifest>(prepareExport);
