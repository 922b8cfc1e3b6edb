import fs from 'node:fs';
import path from 'node:path';
import { archiveRoot, tenantsRoot } from '../../tenant-runtime/tenant-paths';
import type { PlatformDatabase } from '../db/platform-database';

export interface DiskUsageSample {
  id: number;
  taken_at: number;
  live_bytes: number;
  archive_bytes: number;
  tenant_count: number;
}

/** Bytes under a folder, walked asynchronously so a large fleet never blocks the event loop. */
async function bytesUnder(target: string): Promise<number> {
  const stat = await fs.promises.lstat(target).catch(() => undefined);
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of await fs.promises.readdir(target).catch(() => [] as string[])) total += await bytesUnder(path.join(target, entry));
  return total;
}

/** The data on disk now: every tenant folder of the live tree, and the archive. */
export async function measureDiskUsage(dataDir: string): Promise<Omit<DiskUsageSample, 'id' | 'taken_at'>> {
  const live = await bytesUnder(tenantsRoot(dataDir));
  const archive = await bytesUnder(archiveRoot(dataDir));
  const tenants = (await fs.promises.readdir(tenantsRoot(dataDir)).catch(() => [] as string[])).filter((e) => !e.startsWith('.')).length;
  return { live_bytes: live, archive_bytes: archive, tenant_count: tenants };
}

/** `disk_usage_samples`: what the dashboard compares to show growth. */
export class DiskUsageSamples {
  constructor(private readonly db: PlatformDatabase) {}

  record(sample: Omit<DiskUsageSample, 'id' | 'taken_at'>, at = Date.now()): void {
    this.db.run('insert into disk_usage_samples (taken_at, live_bytes, archive_bytes, tenant_count) values (?, ?, ?, ?)', [
      at,
      sample.live_bytes,
      sample.archive_bytes,
      sample.tenant_count,
    ]);
  }

  latest(): DiskUsageSample | undefined {
    return this.db.get<DiskUsageSample>('select * from disk_usage_samples order by taken_at desc, id desc limit 1');
  }

  /** The newest sample taken at or before `at` (for "since yesterday", "since last week"). */
  atOrBefore(at: number): DiskUsageSample | undefined {
    return this.db.get<DiskUsageSample>('select * from disk_usage_samples where taken_at <= ? order by taken_at desc, id desc limit 1', [at]);
  }

  /** Samples older than `before` are dropped, one a day kept (the table stays small). */
  prune(before: number): void {
    this.db.run(
      `delete from disk_usage_samples where taken_at < ? and id not in
         (select max(id) from disk_usage_samples where taken_at < ? group by taken_at / 86400000)`,
      [before, before],
    );
  }
}

/** Measures and records a sample. */
export async function sampleDiskUsage(dataDir: string, db: PlatformDatabase): Promise<void> {
  const samples = new DiskUsageSamples(db);
  samples.record(await measureDiskUsage(dataDir));
  samples.prune(Date.now() - 7 * 24 * 3600_000);
}
