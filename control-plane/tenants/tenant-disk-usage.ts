import fs from 'node:fs';
import path from 'node:path';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';

/** Bytes a tenant takes on disk: its database (+ WAL) and its files. */
export function tenantDiskUsage(dataDir: string, tenantId: string): number {
  let dir: string;
  try {
    dir = tenantPaths(dataDir, tenantId).dir;
  } catch {
    return 0;
  }
  return sizeOf(dir);
}

function sizeOf(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.size;
  return fs.readdirSync(target).reduce((sum, entry) => sum + sizeOf(path.join(target, entry)), 0);
}
