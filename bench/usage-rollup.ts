import fs from 'node:fs';
import { copyTemplate, ensureTemplate } from '../control-plane/provisioning/tenant-template';
import { rollUpUsage } from '../control-plane/usage/roll-up-usage';
import { usageRollupDeps } from '../app/usage-wiring';
import { tenantPaths } from '../tenant-runtime/tenant-paths';
import { RACY_MS } from '../control-plane/usage/tenant-file-stamp';
import { recordUsage } from '../workspace/usage/usage-meter';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { benchSlug, openBenchPlatform } from './support/bench-platform';
import { makeTempDir } from './support/temp-data-dir';
import { median, spread } from './support/stats';
import { row, type ResultRow } from './support/result-row';

const BENCH = '11. Usage roll-up';

export interface UsageRollupOptions {
  /** Fleet size (10,000 in a full run). */
  tenants: number;
  /** Tenants whose files change between two measured roll-ups. */
  changed: number;
}

/**
 * The usage roll-up over a fleet copied from the template (tenant rows inserted directly): one
 * first roll-up that reads every file, then, `ctx.runs` times, `changed` tenants record usage
 * through the router (as requests would) and one roll-up is timed; plus a roll-up with nothing
 * changed. Target: under 1 s for 10,000 tenants with 100 changed (issue 11).
 */
export async function runUsageRollup(ctx: BenchContext, options: UsageRollupOptions): Promise<BenchOutput> {
  const temp = makeTempDir('usage-rollup');
  const n = options.tenants;
  try {
    const platform = await openBenchPlatform(temp.path);
    try {
      const template = await ensureTemplate(temp.path, platform.tenantSource);
      const ids: string[] = [];
      platform.db.write(() => {
        for (let i = 0; i < n; i++) {
          const id = `t${i.toString(16).padStart(24, '0')}`;
          platform.tenants.insert({ id, slug: benchSlug(i), name: `Bench ${i}`, status: 'active' });
          ids.push(id);
        }
      });
      for (const id of ids) {
        fs.mkdirSync(tenantPaths(temp.path, id).dir, { recursive: true });
        copyTemplate(template, tenantPaths(temp.path, id).database);
      }
      ctx.log(`usage roll-up: ${n} tenants copied from the template`);
      // Stamps taken within RACY_MS of a write are read again next time (tenant-file-stamp.ts).
      const settle = () => new Promise((resolve) => setTimeout(resolve, RACY_MS + 10));
      await settle();
      const deps = usageRollupDeps(platform);
      const firstStarted = performance.now();
      const first = await rollUpUsage(deps);
      const firstMs = performance.now() - firstStarted;
      if (first.opened !== n) throw new Error(`the first roll-up read ${first.opened} of ${n} tenants`);

      const unchanged: number[] = [];
      const changed: number[] = [];
      for (let run = 0; run < ctx.runs; run++) {
        let started = performance.now();
        const quiet = await rollUpUsage(deps);
        unchanged.push(performance.now() - started);
        if (quiet.opened !== 0 || quiet.recomputed !== 0)
          throw new Error(`a roll-up with nothing changed read ${quiet.opened} and recomputed ${quiet.recomputed} tenants`);
        // A different set each run, spread over the fleet.
        const step = Math.floor(n / options.changed);
        for (let k = 0; k < options.changed; k++) {
          const lease = await platform.router.acquire(ids[(k * step + run) % n]);
          try {
            lease.db.write(() => recordUsage(lease.db, 'items_published', 1));
          } finally {
            lease.release();
          }
        }
        await settle();
        started = performance.now();
        const after = await rollUpUsage(deps);
        changed.push(performance.now() - started);
        if (after.opened !== options.changed) throw new Error(`expected ${options.changed} tenants read, got ${after.opened}`);
      }
      const rows: ResultRow[] = [
        row(BENCH, `roll-up over ${n.toLocaleString('en-US')} tenants, ${options.changed} changed`, median(changed), 'ms', {
          runs: ctx.runs,
          target: n >= 10_000 && options.changed <= 100 ? { op: '<=', value: 1000 } : undefined,
          note: `${spread(changed, 1, 'ms')}; only the changed tenants' files are opened`,
        }),
        row(BENCH, `roll-up over ${n.toLocaleString('en-US')} tenants, none changed`, median(unchanged), 'ms', {
          runs: ctx.runs,
          note: spread(unchanged, 1, 'ms'),
        }),
        row(BENCH, `first roll-up (every file read), per tenant`, firstMs / n, 'ms', { runs: 1, note: `${(firstMs / 1000).toFixed(1)} s in all` }),
      ];
      ctx.log(`usage roll-up: ${median(changed).toFixed(1)} ms with ${options.changed} changed, ${median(unchanged).toFixed(1)} ms with none (${n} tenants)`);
      return { rows, details: { tenants: n, changed: options.changed, changedMs: changed, unchangedMs: unchanged, firstMs } };
    } finally {
      platform.close();
    }
  } finally {
    temp.remove();
  }
}
