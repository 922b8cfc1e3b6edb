import { createApp } from '../app/create-app';
import type { TenantRecord } from '../control-plane/tenants/tenant-record';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { BENCH_PASSWORD, createMembers, openBenchPlatform, type BenchMember } from './support/bench-platform';
import { createSessions } from './support/direct-sessions';
import { listen, runLoad, type LoadResult } from './support/http-load';
import { expectOk, signInAll } from './support/sign-in';
import { itemData, writeTenantItems } from './support/tenant-items';
import { openFds, sampleProcess } from './support/process-sampler';
import { seededRandom, shuffled, uniformSampler, zipfSampler } from './support/zipf';
import { median, spread } from './support/stats';
import { row, type ResultRow } from './support/result-row';

const BENCH = '2. Many tenants';
const ZIPF_S = 1.1;
/** Tenants of the all-warm baseline: a fixed set, so the baseline does not move with the cap (smaller caps get all of it they can hold). */
const WARM_SET = 128;
/** Members signed in over HTTP (the sign-in path and its cookie still work); the others get their session directly (support/direct-sessions.ts). */
const HTTP_SIGN_INS = 8;

export interface ManyTenantsOptions {
  dataDir: string;
  tenants: TenantRecord[];
  /** Handle caps to measure, each with its own platform over the same fleet. */
  caps: number[];
  sequenceLength: number;
}

type Scenario = 'warm' | 'zipf' | 'uniform';

interface Measured {
  load: LoadResult;
  hitRate: number;
  opens: number;
  evictions: number;
  waits: number;
  maxFds: number;
  fdsAfter: number;
  maxRssMiB: number;
}

const itemPath = (slug: string) => `/t/${slug}/api/items/1`;

/**
 * The authenticated item read over a large fleet with a bounded handle cache: Zipf and uniform
 * access over every tenant against all-warm (a set smaller than the cap, opened beforehand).
 */
export async function runManyTenants(
  ctx: BenchContext,
  options: ManyTenantsOptions,
  /** Runs one cap (`runManyTenantsAtCap`): bench/run.ts runs each in a process of its own. */
  runCap: (cap: number, members: BenchMember[]) => Promise<BenchOutput>,
): Promise<BenchOutput> {
  const started = performance.now();
  // Every tenant gets one item to read (straight into its file; not part of any timing).
  for (const [i, tenant] of options.tenants.entries()) writeTenantItems(options.dataDir, tenant.id, [itemData(i, 1, Date.now())]);
  ctx.log(`many tenants: seeded one item in ${options.tenants.length} tenant files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // One member per tenant (a user who belongs to that tenant only), created once for every cap.
  const setup = await openBenchPlatform(options.dataDir);
  let members: BenchMember[];
  try {
    const t0 = performance.now();
    members = await createMembers(setup, options.tenants, 'member');
    ctx.log(`many tenants: ${members.length} members and memberships in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await setup.close();
  }
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  for (const cap of options.caps) {
    const output = await runCap(cap, members);
    rows.push(...output.rows);
    details[`cap${cap}`] = output.details;
  }
  return { rows, details };
}

/** One cap of the benchmark, over the fleet and its members made by `runManyTenants`. */
export async function runManyTenantsAtCap(ctx: BenchContext, options: ManyTenantsOptions, cap: number, members: BenchMember[]): Promise<BenchOutput> {
  const { tenants } = options;
  const n = tenants.length;
  let started = performance.now();
  const platform = await openBenchPlatform(options.dataDir, { cacheSize: cap });
  const { app, sessions } = createApp(platform, { loginLimits: { perIp: 1e6, freeFailures: 1e6 } });
  const server = await listen(app);
  try {
    started = performance.now();
    // Every request carries the cookie of its tenant's own member: no request changes the signed-in user's workspace.
    const overHttp = Math.min(HTTP_SIGN_INS, n);
    const sample = members.slice(0, overHttp).map((member) => member.email);
    const others = members.slice(overHttp).map((member) => member.id);
    const cookies = [...(await signInAll(server.url, sample, BENCH_PASSWORD)), ...createSessions(platform, sessions, others)];
    ctx.log(
      `many tenants: ${n} members signed in (${overHttp} over HTTP, ${n - overHttp} by direct session) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const headersByPath = Object.fromEntries(tenants.map((tenant, i) => [itemPath(tenant.slug), { cookie: cookies[i] }]));
    // Both kinds of cookie answer before anything is measured: the first member's (over HTTP) and the last one's (direct).
    await expectOk(server.url, itemPath(tenants[0].slug), cookies[0]);
    await expectOk(server.url, itemPath(tenants[n - 1].slug), cookies[n - 1]);

    // Popularity ranks are assigned to tenants at random (seeded), not by creation order.
    const ranked = shuffled(tenants, seededRandom(7));
    const warmSet = ranked.slice(0, Math.min(WARM_SET, cap));
    const sequence = (scenario: Scenario, seed: number): string[] => {
      const random = seededRandom(seed);
      const pick = scenario === 'zipf' ? zipfSampler(n, ZIPF_S, random) : uniformSampler(scenario === 'warm' ? warmSet.length : n, random);
      const from = scenario === 'warm' ? warmSet : ranked;
      return Array.from({ length: options.sequenceLength }, () => itemPath(from[pick()].slug));
    };

    const scenarios: Scenario[] = ['warm', 'zipf', 'uniform'];
    const results: Record<Scenario, Measured[]> = { warm: [], zipf: [], uniform: [] };
    for (let run = 0; run < ctx.loadRuns; run++) {
      for (const scenario of scenarios) {
        if (scenario === 'warm') {
          // Open every tenant of the warm set now, so the measured run only hits open handles.
          for (const tenant of warmSet) platform.router.tryAcquire(tenant.id)?.release();
        }
        if (ctx.warmupSeconds > 0) {
          await runLoad({ url: server.url, paths: sequence(scenario, 1000 + run), headersByPath, connections: ctx.connections, seconds: ctx.warmupSeconds });
        }
        const paths = sequence(scenario, 2000 + run);
        const before = platform.router.stats();
        const sampler = sampleProcess();
        const load = await runLoad({ url: server.url, paths, headersByPath, connections: ctx.connections, seconds: ctx.loadSeconds });
        const peaks = sampler.stop();
        const after = platform.router.stats();
        const hits = after.hits - before.hits;
        const opens = after.opens - before.opens;
        const measured: Measured = {
          load,
          hitRate: hits + opens > 0 ? (hits / (hits + opens)) * 100 : 0,
          opens,
          evictions: after.evictions - before.evictions,
          waits: after.waits - before.waits,
          maxFds: peaks.maxFds,
          fdsAfter: openFds(),
          maxRssMiB: peaks.maxRssMiB,
        };
        results[scenario].push(measured);
        ctx.log(
          `many tenants ${scenario} run ${run + 1}: ${Math.round(load.reqPerSec)} req/s, CPU ${Math.round(load.cpuUsPerRequest)} us/req (main thread ${Math.round(load.mainThreadCpuUsPerRequest)}), hit ${measured.hitRate.toFixed(1)} %, ` +
            `open handles ${after.open}, fds max ${peaks.maxFds}, rss max ${peaks.maxRssMiB.toFixed(0)} MiB, non-2xx ${load.non2xx}`,
        );
      }
    }

    const runs = ctx.loadRuns;
    const fdLimit = 3 * cap + 100;
    const label: Record<Scenario, string> = {
      warm: `all-warm (${warmSet.length} open tenants, whatever the cap)`,
      zipf: `Zipf(${ZIPF_S}) over ${n.toLocaleString('en-US')} tenants`,
      uniform: `uniform over ${n.toLocaleString('en-US')} tenants`,
    };
    const rows: ResultRow[] = [];
    for (const scenario of scenarios) {
      const list = results[scenario];
      const bad = list.reduce((sum, m) => sum + m.load.non2xx + m.load.errors, 0);
      const p50 = median(list.map((m) => m.load.p50Ms));
      const p99 = median(list.map((m) => m.load.p99Ms));
      const rss = median(list.map((m) => m.maxRssMiB));
      const cpu = median(list.map((m) => m.load.cpuUsPerRequest));
      const main = median(list.map((m) => m.load.mainThreadCpuUsPerRequest));
      rows.push(
        row(BENCH, `${label[scenario]}, cap ${cap}`, median(list.map((m) => m.load.reqPerSec)), 'req/s', {
          runs,
          note: `p50 ${p50} ms, p99 ${p99} ms, server CPU ${cpu.toFixed(0)} us/req whole process (main thread ${main.toFixed(0)}); ${spread(
            list.map((m) => m.load.reqPerSec),
            0,
          )} req/s${bad ? `, ${bad} non-2xx/errors` : ''}`,
        }),
      );
      if (scenario !== 'warm') {
        const cpuRatios = list.map((m, i) => results.warm[i].load.cpuUsPerRequest / m.load.cpuUsPerRequest);
        rows.push(
          row(BENCH, `${scenario}: throughput / all-warm`, median(list.map((m, i) => m.load.reqPerSec / results.warm[i].load.reqPerSec)), 'x', {
            runs,
            target: scenario === 'zipf' ? { op: '>=', value: 0.8 } : undefined,
            note: `by whole-process CPU per request: ${median(cpuRatios).toFixed(2)}x (${spread(cpuRatios, 2)})`,
          }),
        );
      }
      rows.push(
        row(BENCH, `${scenario}: router hit rate`, median(list.map((m) => m.hitRate)), '%', {
          runs,
          note: spread(
            list.map((m) => m.hitRate),
            1,
          ),
        }),
      );
      rows.push(
        row(BENCH, `${scenario}: open fds (peak, incl. ${ctx.connections} loopback sockets)`, median(list.map((m) => m.maxFds)), 'fds', {
          runs,
          target: { op: '<=', value: fdLimit },
          note: spread(
            list.map((m) => m.maxFds),
            0,
          ),
        }),
      );
      rows.push(
        row(BENCH, `${scenario}: RSS (peak, whole process)`, rss, 'MiB', {
          runs,
          note: spread(
            list.map((m) => m.maxRssMiB),
            0,
          ),
        }),
      );
    }
    return { rows, details: { tenants: n, cap, zipfS: ZIPF_S, warmSet: warmSet.length, connections: ctx.connections, seconds: ctx.loadSeconds, results } };
  } finally {
    await server.close();
    await platform.close();
  }
}
