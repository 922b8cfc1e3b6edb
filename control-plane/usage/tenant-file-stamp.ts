import fs from 'node:fs';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';

/** `mtime:size`; '-' for a file that is missing or empty (an empty WAL holds nothing: opening or closing a database creates or removes one). */
function statPart(file: string): string {
  try {
    const stat = fs.statSync(file, { bigint: true });
    return stat.size === 0n ? '-' : `${stat.mtimeNs}:${stat.size}`;
  } catch {
    return '-';
  }
}

/**
 * What a tenant's file looks like from outside: modification time (nanoseconds) and size of its
 * database and of its WAL. Any write, by this process or another (a CLI import), changes one of
 * them; two stats are all it costs, and nothing is opened (docs/decisions/032).
 */
export function tenantFileStamp(dataDir: string, tenantId: string): string {
  const { database } = tenantPaths(dataDir, tenantId);
  return `${statPart(database)}|${statPart(`${database}-wal`)}`;
}
