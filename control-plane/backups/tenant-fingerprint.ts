import fs from 'node:fs';
import path from 'node:path';

function part(file: string, emptyIsAbsent = false): string {
  try {
    const stat = fs.statSync(file);
    if (emptyIsAbsent && stat.size === 0) return '-';
    return `${stat.size}:${Math.round(stat.mtimeMs * 1000)}`;
  } catch {
    return '-';
  }
}

/**
 * What tells a scheduled backup that a tenant changed since its last backup, from three stat
 * calls and without opening the database: the size and time of the database file, of its WAL
 * (every commit grows it; an empty WAL, as a read-only connection leaves it, counts as none) and
 * of the files folder (an upload or a delete changes its entries). A checkpoint can change it
 * without a logical change, which costs one extra backup, never a missed one.
 */
export function tenantFingerprint(tenantDir: string): string {
  const database = path.join(tenantDir, 'tenant.sqlite');
  return [part(database), part(`${database}-wal`, true), part(path.join(tenantDir, 'files'))].join('|');
}
