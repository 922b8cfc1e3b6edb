import fs from 'node:fs';
import path from 'node:path';
import { archiveRoot, tenantPaths } from '../../tenant-runtime/tenant-paths';
import { pausePoint } from '../../core/process/pause-point';

/** Where a tenant's folder is now: the live tree, the archive, both (needs a human) or neither. */
export function folderState(dataDir: string, tenantId: string): { live: boolean; archived: boolean } {
  return { live: fs.existsSync(tenantPaths(dataDir, tenantId).dir), archived: fs.existsSync(tenantPaths(dataDir, tenantId, 'archive').dir) };
}

/**
 * Moves the folder out of the live tree into data/archive/<id>/ in one rename. Idempotent:
 * a folder already moved is left alone, so an archive cut off half-way is finished by running
 * this again. Refuses (throws) when both places hold a folder: that needs a human.
 */
export function moveToArchive(dataDir: string, tenantId: string): 'moved' | 'already' | 'missing' {
  return move(tenantPaths(dataDir, tenantId).dir, tenantPaths(dataDir, tenantId, 'archive').dir, archiveRoot(dataDir));
}

/** Moves an archived folder back into the live tree (idempotent, like moveToArchive). */
export function moveToLive(dataDir: string, tenantId: string): 'moved' | 'already' | 'missing' {
  const live = tenantPaths(dataDir, tenantId).dir;
  return move(tenantPaths(dataDir, tenantId, 'archive').dir, live, path.dirname(live));
}

/**
 * Removes an archived folder: renamed to data/archive/.purging-<id> first (one step), then
 * deleted, so a purge cut off half-way never leaves a half-deleted folder under the tenant's
 * own name. Idempotent.
 */
export function removeArchived(dataDir: string, tenantId: string): void {
  const archived = tenantPaths(dataDir, tenantId, 'archive').dir;
  const doomed = purgingDir(dataDir, tenantId);
  if (fs.existsSync(archived)) fs.renameSync(archived, doomed);
  pausePoint('purge:renamed');
  fs.rmSync(doomed, { recursive: true, force: true });
}

export const PURGING_PREFIX = '.purging-';

export function purgingDir(dataDir: string, tenantId: string): string {
  tenantPaths(dataDir, tenantId); // refuses anything that is not a tenant id
  return path.join(archiveRoot(dataDir), `${PURGING_PREFIX}${tenantId}`);
}

function move(from: string, to: string, targetRoot: string): 'moved' | 'already' | 'missing' {
  const source = fs.existsSync(from);
  const target = fs.existsSync(to);
  if (source && target) throw new Error(`both ${from} and ${to} exist; one of them must be moved away by hand`);
  if (target) return 'already';
  if (!source) return 'missing';
  fs.mkdirSync(targetRoot, { recursive: true });
  fs.renameSync(from, to);
  return 'moved';
}
