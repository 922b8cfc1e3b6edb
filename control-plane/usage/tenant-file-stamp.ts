import fs from 'node:fs';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';

/**
 * File times come from a coarse kernel clock (a few ms): a write in the same tick as a stamp
 * could leave mtime and size as they were. A stamp taken that close to a modification is
 * marked racy and never matches, so the next roll-up reads the file again (git's "racy clean").
 */
export const RACY_MS = 50;

/** `mtime:size`; '-' for a file that is missing or empty (an empty WAL holds nothing: opening or closing a database creates or removes one). */
function statPart(file: string, racyAfter: number): string {
  // No exception for a missing file (a WAL usually is), and no bigint: both cost more than the stat.
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat || stat.size === 0) return '-';
  return `${stat.mtimeMs}:${stat.size}${stat.mtimeMs >= racyAfter ? ':racy' : ''}`;
}

/**
 * What a tenant's file looks like from outside: modification time and size of its database and
 * of its WAL. Any write, by this process or another (a CLI import), changes one of them; two
 * stats are all it costs, and nothing is opened (docs/decisions/032). `now`: the stamp is to be
 * stored, and marked racy if the file changed within RACY_MS of it.
 */
export function tenantFileStamp(dataDir: string, tenantId: string, now?: number): string {
  const { database } = tenantPaths(dataDir, tenantId);
  const racyAfter = now === undefined ? Infinity : now - RACY_MS;
  return `${statPart(database, racyAfter)}|${statPart(`${database}-wal`, racyAfter)}`;
}
