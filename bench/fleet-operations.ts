import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import type { Platform } from '../app/create-platform';
import { provisionTenant, provisionDeps } from '../control-plane/provisioning/provision-tenant';
import type { TenantRecord } from '../control-plane/tenants/tenant-record';
import { backupFleet } from '../control-plane/backups/backup-fleet';
import { TIMESTAMP_GRAIN_MS } from '../control-plane/backups/tenant-fingerprint';
import { restoreTenant } from '../control-plane/backups/restore-tenant';
import { exportTenant } from '../control-plane/transfer/export-tenant';
import { importTenant } from '../control-plane/transfer/import-tenant';
import { applyTenantPragmas } from '../tenant-runtime/tenant-database';
import { tenantPaths } from '../tenant-runtime/tenant-paths';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { benchSlug, openBenchPlatform } from './support/bench-platform';
import { makeTempDir } from './support/temp-data-dir';
import { itemData, writeTenantItems } from './support/tenant-items';
import { median, percentile, spread, timeMs } from './support/stats';
import { row, type ResultRow } from './support/result-row';
import { sharedSchemaFrom } from './support/shared-layout';

const BENCH = '7. Fleet operations';

export interface FleetOperationsOptions {
  /** Tenants backed up per pass. */
  tenants: number;
  /** Items in each of them, and stored files (20 KiB each). */
  itemsPerTenant: number;
  filesPerTenant: number;
  /** Restores measured, and export/import samples. */
  restores: number;
  transfers: number;
  /** Items of the tenant exported and imported, and tenants in the shared database beside it. */
  transferItems: number;
  sharedTenants: number;
}

function writeStoredFiles(dataDir: string, tenantId: string, count: number): void {
  const dir = tenantPaths(dataDir, tenantId).files;
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, crypto.randomBytes(16).toString('hex')), crypto.randomBytes(20 * 1024));
}

/**
 * Backups of a whole fleet (tenants/s at concurrency 1 and 2, and a scheduled pass where nothing
 * changed), the offline window of a restore, and export and import of one tenant against the
 * shared-database design doing the same (its rows to JSON and back), all in one data folder.
 */
export async function runFleetOperations(ctx: BenchContext, options: FleetOperationsOptions): Promise<BenchOutput> {
  const temp = makeTempDir('fleet-ops');
  let platform: Platform | undefined;
  let shared: BetterSqlite3.Database | undefined;
  try {
    platform = await openBenchPlatform(temp.path);
    const started = performance.now();
    const tenants: TenantRecord[] = [];
    for (let t = 0; t < options.tenants; t++) tenants.push(await provisionTenant(provisionDeps(platform), { slug: benchSlug(t), name: `Tenant ${t}` }));
    const now = Date.now();
    for (const [t, tenant] of tenants.entries()) {
      writeTenantItems(
        temp.path,
        tenant.id,
        Array.from({ length: options.itemsPerTenant }, (_, i) => itemData(t, i + 1, now + i)),
      );
      writeStoredFiles(temp.path, tenant.id, options.filesPerTenant);
    }
    ctx.log(
      `fleet operations: ${options.tenants} tenants with ${options.itemsPerTenant} items and ${options.filesPerTenant} files each in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    // A fleet at rest: a tenant written within the file system's time-stamp grain of its backup is
    // backed up again by the next scheduled pass (control-plane/backups/tenant-fingerprint.ts), which
    // would make "none changed" measure backups.
    await new Promise((resolve) => setTimeout(resolve, TIMESTAMP_GRAIN_MS + 100));

    // Backups of the whole fleet; the backups are removed between passes (disk space).
    const pass = async (concurrency: number, onlyChanged: boolean) => {
      const result = await backupFleet(platform!, { trigger: 'cli', concurrency, onlyChanged });
      if (result.failed.length) throw new Error(`backup failed: ${result.failed[0].error}`);
      return result;
    };
    // Each round: a pass on one thread, a scheduled pass that finds nothing changed, a pass on two.
    const backupSeconds = { c1: [] as number[], c2: [] as number[], unchanged: [] as number[] };
    let backupBytes = 0;
    for (let round = 0; round < ctx.runs; round++) {
      const c1 = await pass(1, false);
      backupSeconds.c1.push(c1.seconds);
      backupBytes = c1.bytes;
      backupSeconds.unchanged.push((await pass(1, true)).seconds);
      fs.rmSync(platform.config.backupDir, { recursive: true, force: true });
      backupSeconds.c2.push((await pass(2, false)).seconds);
      fs.rmSync(platform.config.backupDir, { recursive: true, force: true });
    }
    const rates = (seconds: number[]) => seconds.map((s) => options.tenants / s);
    ctx.log(
      `fleet operations: backups ${median(rates(backupSeconds.c1)).toFixed(0)} tenants/s (1), ${median(rates(backupSeconds.c2)).toFixed(0)} tenants/s (2)`,
    );

    // Restore one tenant again and again, after a change each time.
    const target = tenants[0];
    const offline: number[] = [];
    const total: number[] = [];
    await pass(1, false);
    const backupId = fs.readdirSync(path.join(platform.config.backupDir, target.id)).sort()[0];
    for (let k = 0; k < options.restores; k++) {
      writeTenantItems(temp.path, target.id, [itemData(0, 100_000 + k, Date.now())]);
      let offlineMs = 0;
      total.push(
        await timeMs(async () => {
          offlineMs = (await restoreTenant(platform!, { slug: target.slug, backupId, actorUserId: null })).offlineMs;
        }),
      );
      offline.push(offlineMs);
    }

    // Export and import one tenant, against the same rows in a shared database.
    const exported = await provisionTenant(provisionDeps(platform), { slug: 'bench-exported', name: 'Exported' });
    writeTenantItems(
      temp.path,
      exported.id,
      Array.from({ length: options.transferItems }, (_, i) => itemData(1, i + 1, now + i)),
    );
    shared = new BetterSqlite3(path.join(temp.path, 'shared.sqlite'));
    applyTenantPragmas(shared);
    shared.pragma('cache_size = -262144');
    const [createTable, ...createIndexes] = sharedSchemaFrom(tenantPaths(temp.path, exported.id).database);
    shared.exec(createTable);
    for (const sql of createIndexes) shared.exec(sql);
    const insert = shared.prepare('insert into items (tenant_id, title, body, created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?)');
    shared.transaction(() => {
      for (let i = 0; i < options.transferItems; i++) {
        for (let t = 0; t < options.sharedTenants; t++) {
          const item = itemData(t, i + 1, now + i);
          insert.run(`shared-${t}`, item.title, item.body, 'bench', item.createdAt, item.createdAt);
        }
      }
    })();
    const sharedExport = shared.prepare('select * from items where tenant_id = ? order by id');
    const sharedImport = shared.prepare('insert into items (tenant_id, title, body, created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?)');
    const times = { exportTenantry: [] as number[], exportShared: [] as number[], importTenantry: [] as number[], importShared: [] as number[] };
    let archiveBytes = 0;
    for (let k = 0; k < options.transfers; k++) {
      const archive = path.join(temp.path, `export-${k}.tar.gz`);
      times.exportTenantry.push(await timeMs(() => exportTenant(platform!, { slug: exported.slug, out: archive, actorUserId: null })));
      archiveBytes = fs.statSync(archive).size;
      times.importTenantry.push(await timeMs(() => importTenant(platform!, { file: archive, slug: `bench-imported-${k}`, actorUserId: null })));
      const json = path.join(temp.path, `shared-${k}.json`);
      times.exportShared.push(await timeMs(() => fs.writeFileSync(json, JSON.stringify(sharedExport.all('shared-1')))));
      times.importShared.push(
        await timeMs(() => {
          const rows = JSON.parse(fs.readFileSync(json, 'utf8')) as Array<{
            title: string;
            body: string;
            created_by: string;
            created_at: number;
            updated_at: number;
          }>;
          shared!
            .transaction(() => {
              for (const r of rows) sharedImport.run(`shared-imported-${k}`, r.title, r.body, r.created_by, r.created_at, r.updated_at);
            })
            .immediate();
        }),
      );
    }

    const m = median;
    const bytesPerTenant = backupBytes / options.tenants;
    const runs = ctx.runs;
    const rows: ResultRow[] = [
      row(BENCH, `backup of ${options.tenants} tenants, concurrency 1`, m(rates(backupSeconds.c1)), 'tenants/s', {
        runs,
        note: `${m(backupSeconds.c1).toFixed(2)} s; ${(bytesPerTenant / 1024).toFixed(0)} KiB per tenant (${options.itemsPerTenant} items, ${options.filesPerTenant} files); copy, checksums, integrity_check, fsync; ${spread(rates(backupSeconds.c1), 0)}`,
      }),
      row(BENCH, `backup of ${options.tenants} tenants, concurrency 2 (worker threads)`, m(rates(backupSeconds.c2)), 'tenants/s', {
        runs,
        note: `${m(backupSeconds.c2).toFixed(2)} s, the start of its two worker threads included; ${spread(rates(backupSeconds.c2), 0)}`,
      }),
      row(BENCH, `scheduled pass over ${options.tenants} tenants, none changed`, m(rates(backupSeconds.unchanged)), 'tenants/s', {
        runs,
        note: `${m(backupSeconds.unchanged).toFixed(3)} s: three stat calls per tenant; ${spread(rates(backupSeconds.unchanged), 0)}`,
      }),
      row(BENCH, 'restore of one tenant: offline (members get 503)', m(offline), 'ms', {
        runs: options.restores,
        note: `p95 ${percentile(offline, 95).toFixed(1)} ms; drain, swap by rename, migration check, status back`,
      }),
      row(BENCH, 'restore of one tenant: whole command', m(total), 'ms', {
        runs: options.restores,
        note: 'verify and stage first, pre-restore backup after: both online',
      }),
      row(BENCH, `export one tenant (${options.transferItems} items), Tenantry (.tar.gz with manifest)`, m(times.exportTenantry), 'ms', {
        runs: options.transfers,
        note: `${(archiveBytes / 1024).toFixed(0)} KiB archive; snapshot, secrets removed (VACUUM), checksums, gzip`,
      }),
      row(BENCH, 'export one tenant, shared (SELECT ... WHERE tenant_id -> JSON file)', m(times.exportShared), 'ms', { runs: options.transfers }),
      row(BENCH, 'export: Tenantry / shared (speed)', m(times.exportShared) / m(times.exportTenantry), 'x', { runs: options.transfers }),
      row(BENCH, 'import one tenant, Tenantry (checks + provisioning)', m(times.importTenantry), 'ms', {
        runs: options.transfers,
        note: 'checksums, schema and integrity checks, VACUUM INTO, provisioning pipeline',
      }),
      row(BENCH, 'import one tenant, shared (JSON -> INSERT with a new tenant_id)', m(times.importShared), 'ms', { runs: options.transfers }),
      row(BENCH, 'import: Tenantry / shared (speed)', m(times.importShared) / m(times.importTenantry), 'x', { runs: options.transfers }),
    ];
    return {
      rows,
      details: {
        options,
        backupSeconds,
        offlineMs: offline,
        restoreMs: total,
        transferMs: times,
        archiveBytes,
      },
    };
  } finally {
    shared?.close();
    await platform?.close();
    temp.remove();
  }
}
