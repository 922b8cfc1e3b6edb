import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { applyTenantPragmas } from '../tenant-runtime/tenant-database';
import { fsyncDir, fsyncFile } from '../core/fs/durable-files';
import { tenantPaths } from '../tenant-runtime/tenant-paths';
import { migrateFleet } from '../control-plane/fleet/migrate-fleet';
import { defaultLanes } from '../control-plane/fleet/migration-lanes';
import type { Platform } from '../app/create-platform';
import type { TenantRecord } from '../control-plane/tenants/tenant-record';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { openBenchPlatform } from './support/bench-platform';
import { totalCpuUs } from './support/process-sampler';
import { makeTempDir } from './support/temp-data-dir';
import { median, spread } from './support/stats';
import { row, type ResultRow } from './support/result-row';

const BENCH = '4. Fleet migration';
const TENANT_MIGRATIONS = path.resolve(__dirname, '../tenant-migrations');

export interface FleetMigrationOptions {
  dataDir: string;
  /** The fleet in slug order (the order migrateFleet walks it). */
  tenants: TenantRecord[];
  /** Fleet sizes to migrate, each at concurrency 1 and the default (one lane per core). */
  sizes: number[];
  /** Runs per size (each run applies a fresh migration). */
  runsFor(size: number): number;
}

/** The kind of change a release ships: a column, an index and a new table, with the knex schema builder. */
function migrationSource(generation: number): string {
  const g = String(generation).padStart(2, '0');
  return `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => {
    t.integer('bench_flag_${g}').notNullable().defaultTo(0);
    t.index(['created_at'], 'items_bench_${g}_created_at');
  });
  await knex.schema.createTable('bench_notes_${g}', (t) => {
    t.increments('id');
    t.integer('item_id').notNullable();
    t.text('note').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bench_notes_${g}');
  await knex.schema.alterTable('items', (t) => {
    t.dropIndex(['created_at'], 'items_bench_${g}_created_at');
    t.dropColumn('bench_flag_${g}');
  });
}
`;
}

/**
 * The product's migrations plus generation N's change. Each generation gets its own folder (and
 * so its own platform), holding only its own change: every pass applies exactly one migration
 * per tenant, whatever earlier passes did.
 */
function migrationsFolder(root: string, generation: number): string {
  const dir = path.join(root, `gen-${generation}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(TENANT_MIGRATIONS)) {
    if (file.endsWith('.ts')) fs.copyFileSync(path.join(TENANT_MIGRATIONS, file), path.join(dir, file));
  }
  fs.writeFileSync(path.join(dir, `0099-bench-change-${String(generation).padStart(2, '0')}.ts`), migrationSource(generation));
  return dir;
}

/** Only the first `size` tenants (slug order) stay active; the rest are parked as archived, which the fleet skips. */
function limitFleet(platform: Platform, tenants: TenantRecord[], size: number): void {
  const last = tenants[size - 1].slug;
  platform.db
    .connection()
    .prepare("update tenants set status = case when slug <= ? then 'active' else 'archived' end where status in ('active', 'archived')")
    .run(last);
}

type FloorMode = 'durable' | 'walFirst' | 'syncOff';

/**
 * The floor under any migration runner: the same change as plain SQL on a raw connection per
 * tenant (open, one transaction, close), with no migration framework and no bookkeeping.
 * `durable` is SQLite's own order (4 fsyncs); `walFirst` the product's (docs/decisions/026: commit
 * unsynced with automatic checkpoints off, flush the WAL and folder, close: 3 fsyncs); `syncOff`
 * shows what the fsyncs cost (a mode the product never uses: a power cut during the close
 * checkpoint could tear the file).
 */
function plainSqlPass(dataDir: string, tenants: TenantRecord[], tag: string, mode: FloorMode): number {
  const statements = [
    `alter table items add column floor_flag_${tag} integer not null default 0`,
    `create index items_floor_${tag}_created_at on items (created_at)`,
    `create table floor_notes_${tag} (id integer primary key autoincrement, item_id integer not null, note text not null)`,
  ];
  const started = performance.now();
  for (const tenant of tenants) {
    const file = tenantPaths(dataDir, tenant.id).database;
    const db = new BetterSqlite3(file, { fileMustExist: true });
    applyTenantPragmas(db);
    if (mode !== 'durable') db.pragma('synchronous = OFF');
    if (mode === 'walFirst') db.pragma('wal_autocheckpoint = 0');
    db.transaction(() => {
      for (const sql of statements) db.exec(sql);
    }).immediate();
    if (mode === 'walFirst') {
      db.pragma('synchronous = NORMAL');
      fsyncFile(`${file}-wal`);
      fsyncDir(path.dirname(file));
    }
    db.close();
  }
  return (performance.now() - started) / 1000;
}

export async function runFleetMigration(ctx: BenchContext, options: FleetMigrationOptions): Promise<BenchOutput> {
  const folders = makeTempDir('migrations');
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  let generation = 0;
  let last: Platform | undefined;
  try {
    const lanes = [...new Set([1, defaultLanes()])];
    const startup: number[] = [];
    for (const size of options.sizes) {
      const seconds: Record<number, number[]> = Object.fromEntries(lanes.map((n) => [n, []]));
      // Whole-process CPU per tenant on one lane (no worker threads, so no start-up in it): what a
      // lane costs apart from waiting for the disk.
      const cpuMsPerTenant: number[] = [];
      for (let run = 0; run < options.runsFor(size); run++) {
        for (const concurrency of lanes) {
          generation++;
          await last?.close();
          last = await openBenchPlatform(options.dataDir, { tenantMigrationsDir: migrationsFolder(folders.path, generation) });
          limitFleet(last, options.tenants, size);
          const cpuBefore = process.cpuUsage();
          const result = await migrateFleet(last, { concurrency });
          const cpu = process.cpuUsage(cpuBefore);
          if (concurrency === 1) cpuMsPerTenant.push(totalCpuUs(cpu) / 1000 / size);
          // Worker start-up is paid once per run, whatever the fleet size: it is reported on its own row.
          const elapsed = result.seconds - result.startupSeconds;
          if (result.migrated !== size || result.failed.length > 0) {
            throw new Error(`fleet migration: ${result.migrated}/${size} migrated, ${result.failed.length} failed (${result.failed[0]?.error ?? ''})`);
          }
          seconds[concurrency].push(elapsed);
          if (concurrency > 1) startup.push(result.startupSeconds);
          ctx.log(
            `fleet migration ${size} tenants, concurrency ${concurrency}: ${elapsed.toFixed(2)} s (${Math.round(size / elapsed)} tenants/s) + ${result.startupSeconds.toFixed(2)} s start-up`,
          );
        }
      }
      const label = size.toLocaleString('en-US');
      for (const concurrency of lanes) {
        const rates = seconds[concurrency].map((s) => size / s);
        const s = median(seconds[concurrency]);
        rows.push(
          row(
            BENCH,
            `new migration over ${label} tenants, concurrency ${concurrency}${concurrency > 1 ? ' (worker threads)' : ''}`,
            median(rates),
            'tenants/s',
            {
              runs: rates.length,
              target: { op: '>=', value: 1000 },
              note: `${s.toFixed(2)} s without start-up; ${spread(rates, 0, 'tenants/s')}${
                concurrency === 1 ? `; CPU ${median(cpuMsPerTenant).toFixed(2)} ms per tenant, whole process (${spread(cpuMsPerTenant, 2, 'ms')})` : ''
              }`,
            },
          ),
        );
      }
      details[`size${size}`] = seconds;
      details[`cpuMsPerTenant${size}`] = cpuMsPerTenant;
    }
    if (startup.length) {
      rows.push(
        row(BENCH, `worker start-up, ${defaultLanes()} threads (once per run, before the first tenant)`, median(startup), 's', {
          runs: startup.length,
          note: spread(startup, 2),
        }),
      );
      details.startupSeconds = startup;
    }

    const floorTenants = options.tenants.slice(0, options.sizes[0]);
    const floorLabel = floorTenants.length.toLocaleString('en-US');
    const floor: Record<FloorMode, number[]> = { durable: [], walFirst: [], syncOff: [] };
    for (let run = 0; run < ctx.runs; run++) {
      for (const mode of ['durable', 'walFirst', 'syncOff'] as const) floor[mode].push(plainSqlPass(options.dataDir, floorTenants, `${mode[0]}${run}`, mode));
    }
    const rates = (mode: FloorMode) => floor[mode].map((s) => floorTenants.length / s);
    const floorRate = (mode: FloorMode) => median(rates(mode));
    const perTenant = (mode: FloorMode) => `${(1000 / floorRate(mode)).toFixed(2)} ms per tenant`;
    const walFirstGain = median(floor.durable.map((s, i) => s / floor.walFirst[i]));
    rows.push(
      row(BENCH, `floor: the same change as plain SQL on raw connections, ${floorLabel} tenants, one thread`, floorRate('durable'), 'tenants/s', {
        runs: ctx.runs,
        note: `${perTenant('durable')}: open, one transaction, close (4 fsyncs); ${spread(rates('durable'), 0)}`,
      }),
    );
    rows.push(
      row(BENCH, `floor, WAL first (the product's order, 3 fsyncs)`, floorRate('walFirst'), 'tenants/s', {
        runs: ctx.runs,
        note: `${perTenant('walFirst')}; ${walFirstGain.toFixed(2)}x the floor; ${spread(rates('walFirst'), 0)}`,
      }),
    );
    rows.push(
      row(BENCH, `floor with synchronous = OFF (no fsync; unsafe, never used)`, floorRate('syncOff'), 'tenants/s', {
        runs: ctx.runs,
        note: `${perTenant('syncOff')}; ${spread(rates('syncOff'), 0)}`,
      }),
    );
    ctx.log(
      `fleet floor over ${floorLabel} tenants: ${Math.round(floorRate('durable'))} tenants/s durable, ${Math.round(floorRate('walFirst'))} WAL first, ${Math.round(floorRate('syncOff'))} without fsync`,
    );
    details.floorSeconds = floor;

    // Every tenant is now at the last generation: a pass with nothing to do.
    if (!last) throw new Error('no fleet migration ran');
    limitFleet(last, options.tenants, options.tenants.length);
    const noop: number[] = [];
    for (let run = 0; run < ctx.runs; run++) {
      const started = performance.now();
      const result = await migrateFleet(last, { concurrency: 1 });
      noop.push((performance.now() - started) / 1000);
      if (result.upToDate !== options.tenants.length) throw new Error(`no-op pass: ${result.upToDate}/${options.tenants.length} up to date`);
    }
    const label = options.tenants.length.toLocaleString('en-US');
    rows.push(
      row(BENCH, `pass with nothing to do over ${label} tenants`, median(noop), 's', {
        runs: noop.length,
        target: { op: '<=', value: 1 },
        note: spread(noop, 3),
      }),
    );
    ctx.log(`fleet no-op pass over ${label} tenants: ${median(noop).toFixed(3)} s`);
    details.noopSeconds = noop;
    return { rows, details };
  } finally {
    await last?.close();
    folders.remove();
  }
}
