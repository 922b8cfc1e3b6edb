import fs from 'node:fs';
import path from 'node:path';

/**
 * How close to the moment of the stat a change makes a fingerprint unsettled. Some file systems
 * keep whole seconds (ext2 and ext3 with small inodes, many network mounts; FAT two): a change
 * made in the same second as the stat, that keeps the size (a commit into a WAL that restarted
 * after a checkpoint), leaves size and time exactly as they were.
 */
export const TIMESTAMP_GRAIN_MS = 2000;

function part(file: string, now: number, emptyIsAbsent = false): { text: string; recent: boolean } {
  try {
    const stat = fs.statSync(file);
    if (emptyIsAbsent && stat.size === 0) return { text: '-', recent: false };
    return { text: `${stat.size}:${Math.round(stat.mtimeMs * 1000)}`, recent: stat.mtimeMs > now - TIMESTAMP_GRAIN_MS };
  } catch {
    return { text: '-', recent: false };
  }
}

/**
 * What tells a scheduled backup that a tenant changed since its last backup, from three stat
 * calls and without opening the database: the size and time of the database file, of its WAL
 * (every commit grows it; an empty WAL, as a read-only connection leaves it, counts as none) and
 * of the files folder (an upload or a delete changes its entries). A checkpoint can change it
 * without a logical change, which costs one extra backup, never a missed one. So can a change
 * within TIMESTAMP_GRAIN_MS of the stat: the fingerprint then names the moment it was taken, so
 * it matches no later one, and the next scheduled run backs the tenant up again.
 */
export function tenantFingerprint(tenantDir: string, now = Date.now()): string {
  const database = path.join(tenantDir, 'tenant.sqlite');
  const parts = [part(database, now), part(`${database}-wal`, now, true), part(path.join(tenantDir, 'files'), now)];
  const fingerprint = parts.map((p) => p.text).join('|');
  return parts.some((p) => p.recent) ? `${fingerprint}|unsettled@${now}` : fingerprint;
}
