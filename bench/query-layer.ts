import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { TenantDatabase, applyTenantPragmas } from '../tenant-runtime/tenant-database';
import { ItemRepository } from '../workspace/items/item-repository';
import { migrateTenantConnection, tenantMigrationSource } from '../tenant-runtime/tenant-migrator';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { makeTempDir } from './support/temp-data-dir';
import { median, spread } from './support/stats';
import { row } from './support/result-row';

const BENCH = '6. Query layer';
const ITEMS = 1000;

interface Variant {
  name: string;
  read(id: number): unknown;
}

/**
 * A point read by primary key in a tight loop: through the handle API the routes use
 * (TenantDatabase.get, and ItemRepository.find on top of it) against a raw better-sqlite3
 * prepared statement on the same connection.
 */
export async function runQueryLayer(ctx: BenchContext): Promise<BenchOutput> {
  const temp = makeTempDir('query');
  const file = path.join(temp.path, 'tenant.sqlite');
  try {
    const setup = new BetterSqlite3(file);
    applyTenantPragmas(setup);
    // The real tenant schema, from the tenant migrations.
    await migrateTenantConnection(setup, tenantMigrationSource());
    const insert = setup.prepare('insert into items (title, body, created_by, created_at, updated_at) values (?, ?, ?, ?, ?)');
    setup.transaction(() => {
      for (let i = 1; i <= ITEMS; i++) insert.run(`Item ${i}`, 'x'.repeat(120), 'u1', i, i);
    })();
    setup.close();

    const handle = new TenantDatabase('t000000000000000000000001', file);
    const raw = handle.connection().prepare('select * from items where id = ?');
    const variants: Variant[] = [
      { name: 'raw', read: (id) => raw.get(id) },
      { name: 'handle', read: (id) => handle.get('select * from items where id = ?', [id]) },
      { name: 'repository', read: (id) => new ItemRepository(handle).find(id) },
    ];
    const ops = ctx.quick ? 50_000 : 100_000;
    const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    // Warm-up: JIT and page cache, then interleaved runs so drift hits every variant alike.
    for (const v of variants) loop(v, ops / 5);
    for (let run = 0; run < ctx.runs; run++) {
      for (const v of variants) samples.get(v.name)!.push(loop(v, ops));
    }
    handle.close();

    const opsPerSec = (name: string) => median(samples.get(name)!);
    const rawOps = opsPerSec('raw');
    const handleOps = opsPerSec('handle');
    const repoOps = opsPerSec('repository');
    ctx.log(`query layer: raw ${Math.round(rawOps)} ops/s, handle ${Math.round(handleOps)} ops/s, repository ${Math.round(repoOps)} ops/s`);
    const runs = ctx.runs;
    return {
      rows: [
        row(BENCH, 'point read, raw prepared statement', rawOps, 'ops/s', { runs, note: spread(samples.get('raw')!, 0) }),
        row(BENCH, 'point read, TenantDatabase.get()', handleOps, 'ops/s', { runs, note: spread(samples.get('handle')!, 0) }),
        row(BENCH, 'point read, ItemRepository.find()', repoOps, 'ops/s', { runs, note: spread(samples.get('repository')!, 0) }),
        row(BENCH, 'cost ratio TenantDatabase.get() / raw (time per read)', rawOps / handleOps, 'x', { runs, target: { op: '<=', value: 1.5 } }),
        row(BENCH, 'cost ratio ItemRepository.find() / raw (time per read)', rawOps / repoOps, 'x', { runs }),
      ],
      details: { ops, items: ITEMS, samplesOpsPerSec: Object.fromEntries(samples) },
    };
  } finally {
    if (fs.existsSync(temp.path)) temp.remove();
  }
}

/** ops/s of one tight loop over ids 1..ITEMS. */
function loop(variant: Variant, ops: number): number {
  const started = performance.now();
  let found = 0;
  for (let i = 0; i < ops; i++) if (variant.read((i % ITEMS) + 1)) found++;
  const ms = performance.now() - started;
  if (found !== ops) throw new Error(`${variant.name}: ${ops - found} reads found nothing`);
  return (ops / ms) * 1000;
}
