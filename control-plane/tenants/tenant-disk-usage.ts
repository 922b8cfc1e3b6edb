import fs from 'node:fs';
import path from 'node:path';
import { tenantPaths, type TenantLocation } from '../../tenant-runtime/tenant-paths';

/** Bytes a tenant takes on disk: its database (+ WAL) and its files. */
export function tenantDiskUsage(dataDir: string, tenantId: string, location: TenantLocation = 'live'): number {
  const sizes = tenantSizes(dataDir, tenantId, location);
  return sizes.total;
}

export interface TenantSizes {
  database: number;
  wal: number;
  files: number;
  /** Everything in the tenant's folder. */
  total: number;
}

/** A tenant's sizes on disk, where its folder is (live tree or archive); zeros when it has none. */
export function tenantSizes(dataDir: string, tenantId: string, location: TenantLocation = 'live'): TenantSizes {
  let paths: ReturnType<typeof tenantPaths>;
  try {
    paths = tenantPaths(dataDir, tenantId, location);
  } catch {
    return { database: 0, wal: 0, files: 0, total: 0 };
  }
  return { database: sizeOf(paths.database), wal: sizeOf(`${paths.database}-wal`), files: sizeOf(paths.files), total: sizeOf(paths.dir) };
}

/**
 * Bytes under a path, counting what this process can see: a file or folder that is gone or out
 * of its reach (permissions) counts 0, so one unreadable tenant folder never fails a listing.
 */
export function sizeOf(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.size;
  let entries: string[];
  try {
    entries = fs.readdirSync(target);
  } catch {
    return 0;
  }
  return entries.reduce((sum, entry) => sum + sizeOf(path.join(target, entry)), 0);
}
