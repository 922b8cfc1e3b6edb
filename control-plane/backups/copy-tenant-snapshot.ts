import fs from 'node:fs';
import path from 'node:path';
import { pausePoint } from '../../core/process/pause-point';
import { snapshotDatabase } from '../../tenant-runtime/tenant-snapshot';
import type { FileEntry } from './backup-manifest';
import { copyStoredFiles, referencedFiles } from './copy-stored-files';
import { tenantFingerprint } from './tenant-fingerprint';

export interface TenantSnapshot {
  /** The source's fingerprint just before the copy (tenant-fingerprint.ts). */
  fingerprint: string;
  /** The stored files copied, with their digests. */
  files: FileEntry[];
  /** Files the copied database refers to that were not in the folder. */
  missing: string[];
}

/**
 * A consistent copy of a tenant folder that may be in use, into `targetDir` (tenant.sqlite and
 * files/): the database under one read snapshot, then the stored files. A file deleted after the
 * snapshot is still referenced by it, so the copy is taken once more if any referenced file is
 * gone (the second snapshot no longer refers to it). Pause points `<step>:snapshot` and
 * `<step>:files` let tests kill the process there.
 */
export function copyTenantSnapshot(sourceDir: string, targetDir: string, step: string): TenantSnapshot {
  const database = path.join(targetDir, 'tenant.sqlite');
  const files = path.join(targetDir, 'files');
  for (let attempt = 0; ; attempt++) {
    const fingerprint = tenantFingerprint(sourceDir);
    pausePoint(`${step}:snapshot`);
    snapshotDatabase(path.join(sourceDir, 'tenant.sqlite'), database);
    pausePoint(`${step}:files`);
    const copied = copyStoredFiles(path.join(sourceDir, 'files'), files);
    const names = new Set(copied.map((f) => path.basename(f.path)));
    const missing = referencedFiles(database).filter((name) => !names.has(name));
    if (!missing.length || attempt > 0) return { fingerprint, files: copied, missing };
    fs.rmSync(database, { force: true });
    fs.rmSync(files, { recursive: true, force: true });
  }
}
