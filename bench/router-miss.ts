import fs from 'node:fs';
import { ConnectionRouter } from '../tenant-runtime/connection-router';
import { openTenantFile } from '../tenant-runtime/open-tenant-file';
import { TenantDatabase } from '../tenant-runtime/tenant-database';
import { tenantPaths } from '../tenant-runtime/tenant-paths';
import { pendingTenantMigrations, tenantMigrationSource } from '../tenant-runtime/tenant-migrator';
import { copyTemplate, ensureTemplate } from '../control-plane/provisioning/tenant-template';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { makeTempDir } from './support/temp-data-dir';
import { median, spread } from './support/stats';
import { row } from './support/result-row';

const BENCH = '10. Router miss';
const CAP = 16;

interface Variant {
  name: string;
  /** Tenants walked in turn: more than the cap makes every lease a miss, one makes it a hit. */
  tenants: string[];
  open: (tenantId: string) => TenantDatabase;
}

/**
 * One lease through the real ConnectionRouter (cap 16) and the first read a request makes, walking
 * more tenants than the cap so that every lease evicts the least recently used handle (its close
 * checkpoints and removes `-wal` and `-shm`) and opens another (which creates them again on its
 * first read). Against a hit on one open handle, and two opens for comparison: the earlier one
 * (every pragma, then the recorded migrations against the code's) and one in exclusive locking
 * mode (docs/decisions/027; not what the product does).
 */
export async function runRouterMiss(ctx: BenchContext): Promise<BenchOutput> {
  const temp = makeTempDir('router-miss');
  try {
    const source = tenantMigrationSource();
    const template = await ensureTemplate(temp.path, source);
    const ids = Array.from({ length: CAP * 4 }, (_, i) => `t${String(i).padStart(24, '0')}`);
    for (const id of ids) {
      fs.mkdirSync(tenantPaths(temp.path, id).dir, { recursive: true });
      copyTemplate(template, tenantPaths(temp.path, id).database);
    }
    const file = (id: string) => tenantPaths(temp.path, id).database;
    const variants: Variant[] = [
      { name: 'miss', tenants: ids, open: (id) => openTenantFile(temp.path, id, 'serve', { source }) },
      { name: 'hit', tenants: ids.slice(0, 1), open: (id) => openTenantFile(temp.path, id, 'serve', { source }) },
      {
        name: 'earlier',
        tenants: ids,
        open: (id) => {
          const db = new TenantDatabase(id, file(id));
          if (pendingTenantMigrations(db.connection(), source).length) throw new Error('behind');
          return db;
        },
      },
      {
        name: 'exclusive',
        tenants: ids,
        open: (id) => {
          const db = new TenantDatabase(id, file(id), { pragmas: 'none' });
          db.connection().pragma('locking_mode = EXCLUSIVE');
          return db;
        },
      },
    ];
    const leases = ctx.quick ? 500 : 4000;
    const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    for (const v of variants) walk(v, leases / 4);
    for (let run = 0; run < ctx.runs; run++) for (const v of variants) samples.get(v.name)!.push(walk(v, leases));

    const us = (name: string) => median(samples.get(name)!);
    const runs = ctx.runs;
    ctx.log(
      `router: miss ${us('miss').toFixed(0)} µs, hit ${us('hit').toFixed(1)} µs, earlier miss ${us('earlier').toFixed(0)} µs, exclusive ${us('exclusive').toFixed(0)} µs`,
    );
    return {
      rows: [
        row(BENCH, 'lease on a miss (evict, open, first read, release), whole process CPU', us('miss'), 'µs', {
          runs,
          target: { op: '<=', value: 350 },
          note: spread(samples.get('miss')!, 0),
        }),
        row(BENCH, 'lease on a hit', us('hit'), 'µs', { runs, note: spread(samples.get('hit')!, 1) }),
        row(BENCH, 'miss with the earlier open (every pragma, migrations table read)', us('earlier'), 'µs', { runs, note: spread(samples.get('earlier')!, 0) }),
        row(BENCH, 'miss in exclusive locking mode (not used: docs/decisions/027)', us('exclusive'), 'µs', {
          runs,
          note: spread(samples.get('exclusive')!, 0),
        }),
      ],
      details: { cap: CAP, tenants: ids.length, leases, samplesMicroseconds: Object.fromEntries(samples) },
    };
  } finally {
    temp.remove();
  }
}

/** µs of whole-process CPU per lease over `leases` leases, each with the first read a request makes. */
function walk(variant: Variant, leases: number): number {
  const router = new ConnectionRouter({ cap: CAP, open: variant.open });
  const before = process.cpuUsage();
  for (let i = 0; i < leases; i++) {
    const lease = router.tryAcquire(variant.tenants[i % variant.tenants.length]);
    if (!lease) throw new Error('no free slot');
    lease.db.get('select id from items where id = ?', [1]);
    lease.release();
  }
  const used = process.cpuUsage(before);
  router.closeAll();
  return (used.user + used.system) / leases;
}
