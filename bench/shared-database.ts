import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { provisionTenant, provisionDeps } from '../control-plane/provisioning/provision-tenant';
import type { TenantRecord } from '../control-plane/tenants/tenant-record';
import { TenantDatabase, applyTenantPragmas } from '../tenant-runtime/tenant-database';
import { tenantPaths, tenantsRoot } from '../tenant-runtime/tenant-paths';
import { fsyncDir } from '../core/fs/durable-files';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { benchSlug, openBenchPlatform } from './support/bench-platform';
import { makeTempDir } from './support/temp-data-dir';
import { filterWord, itemData, writeTenantItems } from './support/tenant-items';
import { seededRandom } from './support/zipf';
import { median, opsPerSec, spread, timeMs, timeSyncMs } from './support/stats';
import { sharedSchemaFrom, sharedToFile, tenantItemsSchema } from './support/shared-layout';
import { row, type ResultRow } from './support/result-row';

const BENCH = '5. Shared database vs Tenantry';

export interface SharedDatabaseOptions {
  tenants: number;
  itemsPerTenant: number;
}

type Statement = BetterSqlite3.Statement;

// Newest first by id, as the product's item lists order (ids grow in arrival order on both sides).
const LIST_SQL = 'select * from items where title like ? order by id desc limit 20';
const SHARED_LIST_SQL = 'select * from items where tenant_id = ? and title like ? order by id desc limit 20';

/**
 * The same items in one shared SQLite file (tenant_id + indexes, rows of all tenants interleaved
 * as they arrive over time) and in one file per tenant: point read, filtered list, export and
 * delete of one tenant. Ratios are speed ratios: above 1 means Tenantry is faster.
 */
export async function runSharedDatabase(ctx: BenchContext, options: SharedDatabaseOptions): Promise<BenchOutput> {
  const temp = makeTempDir('shared');
  const exportsDir = path.join(temp.path, 'exports');
  fs.mkdirSync(exportsDir);
  const { tenants: tenantCount, itemsPerTenant } = options;
  const handles = new Map<string, TenantDatabase>();
  let shared: BetterSqlite3.Database | undefined;
  try {
    // Tenantry: provisioned tenants, items written straight into their files.
    let started = performance.now();
    const platform = await openBenchPlatform(temp.path);
    const tenants: TenantRecord[] = [];
    try {
      for (let t = 0; t < tenantCount; t++) tenants.push(await provisionTenant(provisionDeps(platform), { slug: benchSlug(t), name: `Tenant ${t}` }));
    } finally {
      await platform.close();
    }
    const base = Date.now() - tenantCount * itemsPerTenant;
    const createdAt = (t: number, i: number) => base + i * tenantCount + t;
    for (const [t, tenant] of tenants.entries()) {
      writeTenantItems(
        temp.path,
        tenant.id,
        Array.from({ length: itemsPerTenant }, (_, i) => itemData(t, i + 1, createdAt(t, i))),
      );
    }
    ctx.log(`shared db: ${tenantCount} tenant files with ${itemsPerTenant} items each in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // Shared: the same rows, tenants interleaved in arrival order; each tenant's shared ids are kept so both sides read the same rows.
    started = performance.now();
    shared = new BetterSqlite3(path.join(temp.path, 'shared.sqlite'));
    applyTenantPragmas(shared);
    // A cache that holds the whole shared file, as a shared deployment would be tuned (each tenant
    // file fits in its own connection's default cache), so both sides are read from memory.
    shared.pragma('cache_size = -1048576');
    const [createTable, ...createIndexes] = sharedSchemaFrom(tenantPaths(temp.path, tenants[0].id).database);
    shared.exec(createTable);
    const insert = shared.prepare('insert into items (tenant_id, title, body, created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?)');
    const sharedIds: number[][] = tenants.map(() => []);
    shared
      .transaction(() => {
        for (let i = 0; i < itemsPerTenant; i++) {
          for (const [t, tenant] of tenants.entries()) {
            const item = itemData(t, i + 1, createdAt(t, i));
            sharedIds[t].push(Number(insert.run(tenant.id, item.title, item.body, 'bench', item.createdAt, item.createdAt).lastInsertRowid));
          }
        }
      })
      .immediate();
    // Indexes built after the bulk load (sorted, densely packed: if anything, this favours the shared file).
    for (const sql of createIndexes) shared.exec(sql);
    const schema = [createTable, ...createIndexes];
    shared.exec('analyze');
    shared.pragma('wal_checkpoint(TRUNCATE)');
    ctx.log(`shared db: ${tenantCount * itemsPerTenant} rows in one file in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    for (const tenant of tenants) handles.set(tenant.id, new TenantDatabase(tenant.id, tenantPaths(temp.path, tenant.id).database));
    // ANALYZE on both sides: the planner of each file knows its statistics, as the shared file's does.
    for (const handle of handles.values()) {
      handle.connection().exec('analyze');
      handle.connection().pragma('wal_checkpoint(TRUNCATE)');
    }
    // Statements by tenant index, like the shared side's ids: no per-read map look-up on either side.
    const tenantGet: Statement[] = tenants.map((t) => handles.get(t.id)!.connection().prepare('select * from items where id = ?'));
    const tenantList: Statement[] = tenants.map((t) => handles.get(t.id)!.connection().prepare(LIST_SQL));
    const sharedGet = shared.prepare('select * from items where tenant_id = ? and id = ?');
    const sharedList = shared.prepare(SHARED_LIST_SQL);

    // The same pseudo-random (tenant, item) picks for both layouts.
    const random = seededRandom(11);
    const reads = ctx.quick ? 20_000 : 100_000;
    const picks = Array.from({ length: reads }, () => ({ t: Math.floor(random() * tenantCount), i: Math.floor(random() * itemsPerTenant) }));
    const lists = ctx.quick ? 1_000 : 2_000;
    const listPicks = picks.slice(0, lists).map((p, k) => ({ t: p.t, like: `%${filterWord(k)}%` }));

    // The same reads with fewer tenants read (all handles stay open): the hot set a read walks
    // shrinks from every tenant's connection, statement and pages to a few, on both sides alike.
    const HOT_SETS = [100, 10].filter((hot) => hot < tenantCount);
    const pointReads = (hot: number) => {
      const within = picks.map((p) => ({ t: p.t % hot, i: p.i }));
      return {
        tenantry: (k: number) => {
          const p = within[k];
          if (!tenantGet[p.t].get(p.i + 1)) throw new Error('tenantry point read found nothing');
        },
        shared: (k: number) => {
          const p = within[k];
          if (!sharedGet.get(tenants[p.t].id, sharedIds[p.t][p.i])) throw new Error('shared point read found nothing');
        },
      };
    };
    const point = pointReads(tenantCount);
    const hotPoints = HOT_SETS.map((hot) => ({ hot, ops: pointReads(hot), tenantry: [] as number[], shared: [] as number[] }));
    const ops = {
      listTenantry: (k: number) => {
        const p = listPicks[k];
        if (tenantList[p.t].all(p.like).length === 0) throw new Error('tenantry list found nothing');
      },
      listShared: (k: number) => {
        const p = listPicks[k];
        if (sharedList.all(tenants[p.t].id, p.like).length === 0) throw new Error('shared list found nothing');
      },
    };
    // Warm-up: every page once, so both layouts are measured from the page cache.
    opsPerSec(reads, point.tenantry);
    opsPerSec(reads, point.shared);
    opsPerSec(lists, ops.listTenantry);
    opsPerSec(lists, ops.listShared);
    const samples = { pointTenantry: [] as number[], pointShared: [] as number[], listTenantry: [] as number[], listShared: [] as number[] };
    for (let run = 0; run < ctx.runs; run++) {
      samples.pointTenantry.push(opsPerSec(reads, point.tenantry));
      samples.pointShared.push(opsPerSec(reads, point.shared));
      samples.listTenantry.push(opsPerSec(lists, ops.listTenantry));
      samples.listShared.push(opsPerSec(lists, ops.listShared));
      for (const hot of hotPoints) {
        hot.tenantry.push(opsPerSec(reads, hot.ops.tenantry));
        hot.shared.push(opsPerSec(reads, hot.ops.shared));
      }
    }

    // Export and delete: each sample takes another tenant (delete is destructive).
    const ioSamples = Math.min(ctx.quick ? 10 : 25, Math.floor(tenantCount / 3));
    const exportFile = {
      backup: [] as number[],
      vacuumInto: [] as number[],
      tenantryJson: [] as number[],
      sharedJson: [] as number[],
      sharedFile: [] as number[],
    };
    const itemsSchema = tenantItemsSchema(tenantPaths(temp.path, tenants[0].id).database);
    const remove = { tenantry: [] as number[], tenantryClose: [] as number[], shared: [] as number[] };
    const sharedExport = shared.prepare('select * from items where tenant_id = ? order by id');
    const sharedDelete = shared.prepare('delete from items where tenant_id = ?');
    for (let k = 0; k < ioSamples; k++) {
      const tenant = tenants[tenantCount - 1 - k];
      const handle = handles.get(tenant.id)!;
      // Two consistent copies of a live database, each made by SQLite under one read snapshot:
      // VACUUM INTO (live rows only, tables and indexes rebuilt: what the product's backups,
      // exports and clones write, tenant-snapshot.ts) and SQLite's online backup (page by page,
      // synced), as information. VACUUM INTO writes with its connection's synchronous setting:
      // off, as the product's snapshot and the shared side's attached file write theirs.
      const connection = handle.connection();
      connection.pragma('synchronous = OFF');
      exportFile.vacuumInto.push(timeSyncMs(() => connection.prepare('VACUUM INTO ?').run(path.join(exportsDir, `${tenant.id}.vacuum.sqlite`))));
      connection.pragma('synchronous = NORMAL');
      exportFile.backup.push(await timeMs(() => handle.connection().backup(path.join(exportsDir, `${tenant.id}.backup.sqlite`))));
      exportFile.tenantryJson.push(
        timeSyncMs(() => fs.writeFileSync(path.join(exportsDir, `${tenant.id}.json`), JSON.stringify(handle.all('select * from items order by id')))),
      );
      const db = shared!;
      exportFile.sharedFile.push(
        timeSyncMs(() => sharedToFile(db, itemsSchema.schema, itemsSchema.columns, tenant.id, path.join(exportsDir, `shared-${tenant.id}.sqlite`))),
      );
      exportFile.sharedJson.push(
        timeSyncMs(() => fs.writeFileSync(path.join(exportsDir, `shared-${tenant.id}.json`), JSON.stringify(sharedExport.all(tenant.id)))),
      );
      handles.delete(tenant.id);
      const closeMs = timeSyncMs(() => handle.close());
      remove.tenantryClose.push(closeMs);
      // Durable on both sides: the removal is flushed to its folder; the DELETE commits with
      // synchronous = FULL (its WAL flushed at commit) and checkpoints when SQLite would.
      remove.tenantry.push(
        closeMs +
          timeSyncMs(() => {
            fs.rmSync(tenantPaths(temp.path, tenant.id).dir, { recursive: true, force: true });
            fsyncDir(tenantsRoot(temp.path));
          }),
      );
      db.pragma('synchronous = FULL');
      remove.shared.push(timeSyncMs(() => db.transaction(() => sharedDelete.run(tenant.id)).immediate()));
      db.pragma('synchronous = NORMAL');
    }

    const runs = ctx.runs;
    const m = (values: number[]) => median(values);
    const rows: ResultRow[] = [
      row(BENCH, `point read by id, Tenantry (${tenantCount} open handles)`, m(samples.pointTenantry), 'ops/s', {
        runs,
        note: spread(samples.pointTenantry, 0),
      }),
      row(BENCH, 'point read by id, shared', m(samples.pointShared), 'ops/s', { runs, note: spread(samples.pointShared, 0) }),
      row(BENCH, 'point read: Tenantry / shared (speed)', m(samples.pointTenantry) / m(samples.pointShared), 'x', { runs, target: { op: '>=', value: 1 } }),
      ...hotPoints.map((hot) =>
        row(BENCH, `point read: Tenantry / shared (speed), the same reads over ${hot.hot} of the tenants (information)`, m(hot.tenantry) / m(hot.shared), 'x', {
          runs,
          note: `Tenantry ${Math.round(m(hot.tenantry)).toLocaleString('en-US')}, shared ${Math.round(m(hot.shared)).toLocaleString('en-US')} ops/s`,
        }),
      ),
      row(BENCH, '20 newest with title LIKE, Tenantry', m(samples.listTenantry), 'ops/s', { runs, note: spread(samples.listTenantry, 0) }),
      row(BENCH, '20 newest with title LIKE, shared', m(samples.listShared), 'ops/s', { runs, note: spread(samples.listShared, 0) }),
      row(BENCH, 'filtered list: Tenantry / shared (speed)', m(samples.listTenantry) / m(samples.listShared), 'x', { runs }),
      row(BENCH, 'export one tenant to a SQLite file, Tenantry (VACUUM INTO under one read snapshot, as the product copies)', m(exportFile.vacuumInto), 'ms', {
        runs: ioSamples,
        note: spread(exportFile.vacuumInto, 2, 'ms'),
      }),
      row(BENCH, 'export one tenant to a SQLite file, shared (its rows into a new file with the tenant schema)', m(exportFile.sharedFile), 'ms', {
        runs: ioSamples,
        note: spread(exportFile.sharedFile, 2, 'ms'),
      }),
      row(BENCH, 'export to a SQLite file: Tenantry / shared (speed)', m(exportFile.sharedFile) / m(exportFile.vacuumInto), 'x', {
        runs: ioSamples,
        target: { op: '>=', value: 10 },
      }),
      row(BENCH, 'export to a SQLite file: Tenantry (online backup API) / shared (speed)', m(exportFile.sharedFile) / m(exportFile.backup), 'x', {
        runs: ioSamples,
        note: `backup ${m(exportFile.backup).toFixed(2)} ms`,
      }),
      row(BENCH, 'export as JSON on both sides: Tenantry / shared (speed; information)', m(exportFile.sharedJson) / m(exportFile.tenantryJson), 'x', {
        runs: ioSamples,
        note: `Tenantry JSON ${m(exportFile.tenantryJson).toFixed(2)} ms, shared JSON ${m(exportFile.sharedJson).toFixed(2)} ms`,
      }),
      row(BENCH, 'delete one tenant durably, Tenantry (close + remove folder + flush its parent)', m(remove.tenantry), 'ms', {
        runs: ioSamples,
        note: `close ${m(remove.tenantryClose).toFixed(2)} ms; ${spread(remove.tenantry, 2, 'ms')}`,
      }),
      row(BENCH, 'delete one tenant durably, shared (DELETE WHERE tenant_id, synchronous = FULL)', m(remove.shared), 'ms', {
        runs: ioSamples,
        note: spread(remove.shared, 2, 'ms'),
      }),
      row(BENCH, 'delete: Tenantry / shared (speed)', m(remove.shared) / m(remove.tenantry), 'x', { runs: ioSamples, target: { op: '>=', value: 10 } }),
    ];
    ctx.log(
      `shared db: point ${m(samples.pointTenantry).toFixed(0)} vs ${m(samples.pointShared).toFixed(0)} ops/s, list ${m(samples.listTenantry).toFixed(0)} vs ${m(samples.listShared).toFixed(0)} ops/s`,
    );
    return {
      rows,
      details: {
        sharedSchema: schema,
        tenants: tenantCount,
        itemsPerTenant,
        reads,
        lists,
        ioSamples,
        samples,
        hotSets: hotPoints.map(({ hot, tenantry, shared }) => ({ tenants: hot, tenantry, shared })),
        exportMs: exportFile,
        deleteMs: remove,
      },
    };
  } finally {
    for (const handle of handles.values()) handle.close();
    shared?.close();
    temp.remove();
  }
}
