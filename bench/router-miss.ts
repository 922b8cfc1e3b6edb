import fs from 'node:fs';
import path from 'node:path';
import { ConnectionRouter } from '../tenant-runtime/connection-router';
import { openTenantFile } from '../tenant-runtime/open-tenant-file';
import { TenantDatabase } from '../tenant-runtime/tenant-database';
import { tenantPaths } from '../tenant-runtime/tenant-paths';
import { pendingTenantMigrations, tenantMigrationSource } from '../tenant-runtime/tenant-migrator';
import { copyTemplate, ensureTemplate } from '../control-plane/provisioning/tenant-template';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { makeTempDir } from './support/temp-data-dir';
import { median, spread } from './support/stats';
import { totalCpuUs } from './support/process-sampler';
import { row } from './support/result-row';
import { DEFAULT_TENANT_CACHE_SIZE } from '../core/config/config-schema';
import { provisionDeps, provisionTenant } from '../control-plane/provisioning/provision-tenant';
import { benchSlug, openBenchPlatform } from './support/bench-platform';
import type { Platform } from '../app/create-platform';

const BENCH = '10. Router miss';
const CAP = 16;

/** µs of whole-process CPU per lease, and the kernel's part of it. */
interface Cpu {
  total: number;
  system: number;
}

interface Variant {
  name: string;
  measure: (leases: number) => Cpu;
}

interface LeaseWalk {
  /** Tenants walked in turn: more than the cap makes every lease a miss, one makes it a hit. */
  tenants: string[];
  open: (tenantId: string) => TenantDatabase;
  /** Other tenants' handles held open (and read once) while the variant is walked, as a server at its cap holds them. */
  held?: string[];
}

/**
 * One lease through the real ConnectionRouter (cap 16) and the first read a request makes, walking
 * more tenants than the cap so that every lease evicts the least recently used handle (its close
 * checkpoints and removes `-wal` and `-shm`) and opens another (which creates them again on its
 * first read). Against a hit on one open handle, and two opens for comparison: the earlier one
 * (every pragma, then the recorded migrations against the code's) and one in exclusive locking
 * mode (docs/decisions/027; not what the product does). One more row makes the same misses with
 * the default cap's worth of other tenant files open beside them, as a server at its cap has
 * (SQLite, for one, looks each opened file up in a list of every file the process has open; on
 * ext4 without a journal, the files those handles created and removed make most of the difference:
 * docs/decisions/045). A last row does only the file system's part of a miss.
 */
export async function runRouterMiss(ctx: BenchContext): Promise<BenchOutput> {
  const temp = makeTempDir('router-miss');
  let platform: Platform | undefined;
  try {
    const source = tenantMigrationSource();
    const template = await ensureTemplate(temp.path, source);
    const tenantId = (i: number) => `t${String(i).padStart(24, '0')}`;
    const ids = Array.from({ length: CAP * 4 }, (_, i) => tenantId(i));
    const heldCount = ctx.quick ? 128 : DEFAULT_TENANT_CACHE_SIZE;
    const held = Array.from({ length: heldCount }, (_, i) => tenantId(ids.length + i));
    // Tenants of a control plane, for the product's whole opener (the tenant's row, the carry-over).
    // It is made first: a control plane missing beside tenant folders is refused at start.
    platform = await openBenchPlatform(temp.path);
    for (const id of [...ids, ...held]) {
      fs.mkdirSync(tenantPaths(temp.path, id).dir, { recursive: true });
      copyTemplate(template, tenantPaths(temp.path, id).database);
    }
    const file = (id: string) => tenantPaths(temp.path, id).database;
    const platformIds: string[] = [];
    for (let i = 0; i < ids.length; i++) platformIds.push((await provisionTenant(provisionDeps(platform), { slug: benchSlug(i), name: `Miss ${i}` })).id);
    platform.router.closeAll();
    // The product's open, as the router's opener makes it for a request.
    const serveOpen = (id: string) => openTenantFile(temp.path, id, 'serve', { source });
    const tenantDirs = ids.map((id) => tenantPaths(temp.path, id).dir);
    const leaseWalk = (walked: LeaseWalk) => (leases: number) => walk(walked, leases, serveOpen);
    const variants: Variant[] = [
      { name: 'miss', measure: leaseWalk({ tenants: ids, open: serveOpen }) },
      { name: 'hit', measure: leaseWalk({ tenants: ids.slice(0, 1), open: serveOpen }) },
      { name: 'missAtCap', measure: leaseWalk({ tenants: ids, open: serveOpen, held }) },
      { name: 'opener', measure: leaseWalk({ tenants: platformIds, open: platform.openTenant }) },
      {
        name: 'earlier',
        measure: leaseWalk({
          tenants: ids,
          open: (id) => {
            const db = new TenantDatabase(id, file(id));
            if (pendingTenantMigrations(db.connection(), source).length) throw new Error('behind');
            return db;
          },
        }),
      },
      {
        name: 'exclusive',
        measure: leaseWalk({
          tenants: ids,
          open: (id) => {
            const db = new TenantDatabase(id, file(id), { pragmas: 'none' });
            db.connection().pragma('locking_mode = EXCLUSIVE');
            return db;
          },
        }),
      },
      { name: 'files', measure: (leases) => createAndRemoveTwoFiles(tenantDirs, leases) },
    ];
    const leases = ctx.quick ? 500 : 4000;
    const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    const kernel = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    for (const v of variants) v.measure(leases / 4);
    for (let run = 0; run < ctx.runs; run++)
      for (const v of variants) {
        const cpu = v.measure(leases);
        samples.get(v.name)!.push(cpu.total);
        kernel.get(v.name)!.push(cpu.system);
      }

    const us = (name: string) => median(samples.get(name)!);
    const kernelNote = (name: string, digits = 0) => `kernel ${median(kernel.get(name)!).toFixed(digits)} µs of it; ${spread(samples.get(name)!, digits)}`;
    const runs = ctx.runs;
    ctx.log(
      `router: miss ${us('miss').toFixed(0)} µs (${us('missAtCap').toFixed(0)} with ${heldCount} other files open, ${us('opener').toFixed(0)} through the whole opener), hit ${us('hit').toFixed(1)} µs, earlier miss ${us('earlier').toFixed(0)} µs, exclusive ${us('exclusive').toFixed(0)} µs; two files created and removed ${us('files').toFixed(0)} µs`,
    );
    return {
      rows: [
        row(BENCH, 'lease on a miss (evict, open, first read, release), whole process CPU', us('miss'), 'µs', {
          runs,
          target: { op: '<=', value: 350 },
          note: kernelNote('miss'),
        }),
        row(
          BENCH,
          `the same miss with ${heldCount.toLocaleString('en-US')} other tenant files open (${ctx.quick ? `quick mode; a server at the default cap holds ${DEFAULT_TENANT_CACHE_SIZE.toLocaleString('en-US')}` : 'a server at the default cap'})`,
          us('missAtCap'),
          'µs',
          {
            runs,
            note: kernelNote('missAtCap'),
          },
        ),
        row(
          BENCH,
          "the same miss through the server's whole opener (the tenant's status for its location; the former storage setting looked for once)",
          us('opener'),
          'µs',
          {
            runs,
            note: spread(samples.get('opener')!, 0),
          },
        ),
        row(BENCH, 'lease on a hit', us('hit'), 'µs', { runs, note: spread(samples.get('hit')!, 1) }),
        row(BENCH, 'miss with the earlier open (every pragma, migrations table read)', us('earlier'), 'µs', { runs, note: spread(samples.get('earlier')!, 0) }),
        row(BENCH, 'miss in exclusive locking mode (not used: docs/decisions/027)', us('exclusive'), 'µs', {
          runs,
          note: spread(samples.get('exclusive')!, 0),
        }),
        row(
          BENCH,
          `the file system's part: two files created in the next tenant folder (one grown to 32 KiB) and removed ${CAP} leases later, as a miss creates a -wal and -shm and its eviction removes the oldest`,
          us('files'),
          'µs',
          { runs, note: kernelNote('files', 1) },
        ),
      ],
      details: {
        cap: CAP,
        tenants: ids.length,
        heldOpen: heldCount,
        leases,
        samplesMicroseconds: Object.fromEntries(samples),
        kernelMicroseconds: Object.fromEntries(kernel),
      },
    };
  } finally {
    platform?.close();
    temp.remove();
  }
}

/**
 * µs of whole-process CPU per lease over `leases` leases, each with the first read a request
 * makes; the variant's held handles are opened before and closed after, outside the timing.
 */
function walk(variant: LeaseWalk, leases: number, openHeld: (tenantId: string) => TenantDatabase): Cpu {
  const held = (variant.held ?? []).map(openHeld);
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
  for (const db of held) db.close();
  return perLease(used, leases);
}

function perLease(used: NodeJS.CpuUsage, leases: number): Cpu {
  return { total: totalCpuUs(used) / leases, system: used.system / leases };
}

/**
 * The file system's floor under a miss, measured like a lease and walked like the router's
 * misses: each lease creates two files in the next tenant folder, the second grown to 32 KiB one
 * byte a page as SQLite grows its `-shm`, and removes those of the folder CAP leases back, as the
 * eviction removes the oldest handle's `-wal` and `-shm` (names SQLite never uses: no tenant file
 * is touched). Where creating a file is dear (ext4 without a journal passes over inodes deleted
 * in the last minutes: docs/decisions/045), this shows how much of a miss is the disk's.
 */
function createAndRemoveTwoFiles(dirs: string[], leases: number): Cpu {
  const names = (i: number) => ['bench-floor-wal', 'bench-floor-shm'].map((name) => path.join(dirs[i % dirs.length], name));
  const byte = Buffer.alloc(1);
  const before = process.cpuUsage();
  for (let i = 0; i < leases; i++) {
    const [wal, shm] = names(i);
    fs.closeSync(fs.openSync(wal, 'wx'));
    const fd = fs.openSync(shm, 'wx');
    for (let page = 1; page <= 8; page++) fs.writeSync(fd, byte, 0, 1, page * 4096 - 1);
    fs.closeSync(fd);
    if (i >= CAP) for (const name of names(i - CAP)) fs.unlinkSync(name);
  }
  const used = process.cpuUsage(before);
  for (let i = Math.max(0, leases - CAP); i < leases; i++) for (const name of names(i)) fs.unlinkSync(name);
  return perLease(used, leases);
}
