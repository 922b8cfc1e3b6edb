import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import * as tar from 'tar';
import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError, OperationFailedError } from '../../core/errors/app-errors';
import { printable } from '../../core/cli/cli-io';
import { digestFile, fsyncDir, fsyncFile } from '../../core/fs/durable-files';
import { pausePoint } from '../../core/process/pause-point';
import { tenantPaths, tenantsRoot } from '../../tenant-runtime/tenant-paths';
import { checkDatabaseFile } from '../../tenant-runtime/tenant-snapshot';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { copyTenantSnapshot } from '../backups/copy-tenant-snapshot';
import { writeManifest } from '../backups/backup-manifest';
import { JobWorker } from '../../core/workers/job-worker';
import type { ExportManifest } from './export-manifest';
import { stripForExport } from './strip-copy';
import { exportTarget } from './export-target';

export interface ExportOptions {
  slug: string;
  /** The .tar.gz to write; written under a temp name and renamed, never half there. */
  out: string;
  /** Replace `out` if it exists. */
  force?: boolean;
  actorUserId: string | null;
  /** Where the request came from, for the audit record (a download). */
  client?: { ip?: string | null; userAgent?: string | null };
  /** Take the copy on a worker thread (the server: requests keep being answered meanwhile). */
  useWorker?: boolean;
}

/** The part of an export that copies and checks the data, as plain data: it runs on a worker thread too. */
export interface ExportJob {
  dataDir: string;
  tenant: { id: string; slug: string; name: string };
  /** The work folder: tenant.sqlite, files/ and manifest.json are written there. */
  work: string;
}

export interface ExportResult {
  tenant: TenantRecord;
  file: string;
  /** Size of the archive. */
  bytes: number;
  manifest: ExportManifest;
}

/** Exports (by any process) in progress: DATA_DIR/tenants/.exporting/<random>-<pid>/. */
export function exportsWorkRoot(dataDir: string): string {
  return path.join(tenantsRoot(dataDir), '.exporting');
}

/**
 * Writes a tenant's data to a .tar.gz a client can take away or another deployment can import:
 * manifest.json (first), tenant.sqlite (a consistent snapshot taken while the tenant serves) and
 * files/<stored name>, with the size and sha256 of each in the manifest. Secrets are left out
 * (only their names are listed): they are sealed with this deployment's key and would be
 * unreadable anywhere else. Members and roles live in the control plane and are not part of it.
 */
export async function exportTenant(platform: ControlPlane, options: ExportOptions): Promise<ExportResult> {
  const tenant = platform.tenants.findBySlug(options.slug);
  if (!tenant) throw new NotFoundError(`No tenant with slug "${printable(options.slug)}".`);
  if (tenant.status !== 'active' && tenant.status !== 'suspended')
    throw new ConflictError(`Tenant ${tenant.slug} is ${statusWords(tenant.status)}; only active and suspended tenants can be exported.`);
  const out = exportTarget(options.out, Boolean(options.force));

  const work = path.join(exportsWorkRoot(platform.config.dataDir), `${crypto.randomBytes(6).toString('hex')}-${process.pid}`);
  const partialOut = `${out}.partial-${process.pid}`;
  const built = path.join(work, 'export.tar.gz');
  fs.mkdirSync(work, { recursive: true });
  try {
    const job: ExportJob = { dataDir: platform.config.dataDir, tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, work };
    const manifest = options.useWorker ? await runOnWorker(job) : prepareExport(job);
    const files = manifest.files;
    pausePoint('export:archive');
    await tar.c({ gzip: true, file: built, cwd: work, portable: true, noDirRecurse: true }, ['manifest.json', ...files.map((f) => f.path)]);
    fsyncFile(built);
    pausePoint('export:written');
    moveInPlace(built, out, partialOut);
    const bytes = fs.statSync(out).size;
    platform.audit.record({
      action: 'tenant.export',
      actorUserId: options.actorUserId,
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      after: { bytes, files: files.length - 1, secrets_left_out: manifest.secrets_removed.length },
      ip: options.client?.ip ?? null,
      userAgent: options.client?.userAgent ?? null,
    });
    return { tenant, file: out, bytes, manifest };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(partialOut, { force: true });
  }
}

/**
 * Copies the tenant (a consistent snapshot, while it serves), removes the secrets and stored API answers from the copy,
 * checks it and writes its manifest, all into the work folder.
 */
export function prepareExport(job: ExportJob): ExportManifest {
  const snapshot = copyTenantSnapshot(tenantPaths(job.dataDir, job.tenant.id).dir, job.work, 'export');
  const database = path.join(job.work, 'tenant.sqlite');
  const secretsRemoved = stripForExport(database);
  const check = checkDatabaseFile(database);
  if (check.integrity !== 'ok') throw new OperationFailedError(`The copy of ${job.tenant.slug} failed its integrity check: ${check.integrity}`);
  const files = [{ path: 'tenant.sqlite', ...digestFile(database) }, ...snapshot.files];
  const manifest: ExportManifest = {
    format: 'tenantry-export',
    version: 1,
    exported_at: new Date().toISOString(),
    tenant: job.tenant,
    schema_version: check.migrations.at(-1) ?? null,
    migrations: check.migrations,
    secrets_removed: secretsRemoved,
    files,
    total_bytes: files.reduce((sum, f) => sum + f.size, 0),
  };
  writeManifest(job.work, manifest);
  return manifest;
}

const WORKER_ENTRY = path.join(__dirname, 'export-worker-entry.js');

async function runOnWorker(job: ExportJob): Promise<ExportManifest> {
  const worker = new JobWorker<ExportJob, ExportManifest>(WORKER_ENTRY);
  try {
    return await worker.run(job);
  } finally {
    await worker.close();
  }
}

/**
 * Puts the finished archive at `out` in one rename, so `out` is never a half-written file (a
 * process killed before leaves only its work folder, swept at the next start). On another file
 * system it is copied next to `out` under a temp name first.
 */
function moveInPlace(built: string, out: string, partialOut: string): void {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  try {
    fs.renameSync(built, out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    fs.copyFileSync(built, partialOut);
    fsyncFile(partialOut);
    fs.renameSync(partialOut, out);
  }
  fsyncDir(path.dirname(out));
}
