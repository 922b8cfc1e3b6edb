import type { BenchContext, BenchOutput } from './support/bench-context';
import { BENCH_PASSWORD, UNREACHED_API_RATE_LIMIT, createOwner, openBenchPlatform } from './support/bench-platform';
import { makeTempDir } from './support/temp-data-dir';
import type { Listening } from './support/http-load';
import { expectAllAnswered, interleavedLoads } from './support/interleaved-loads';
import { expectOk, signIn } from './support/sign-in';
import { provisionWithItems } from './support/tenant-items';
import { median, spread } from './support/stats';
import { row, type ResultRow } from './support/result-row';
import { expectSameResponse, expectSignInAsked } from './support/routing-sides';
import type { RoutingSide } from './support/routing-side-child';
import { startRoutingSide } from './support/routing-side-process';

const BENCH = '1. Routing cost';
const SLUG = 'routing-bench';
const ITEM_ID = 500;

type VariantKey = RoutingSide;
const SIDES: readonly VariantKey[] = ['full', 'handle', 'handleNoAuth', 'bare', 'bareBody', 'stock', 'planOn', 'planOff'];

interface Variant {
  key: VariantKey;
  label: string;
  server: Listening & { pid: number };
  headers?: Record<string, string>;
  /** Another path than the item page's JSON (the REST API's item, for the plan checks). */
  path?: string;
}

/**
 * One authenticated JSON read by id through the whole stack, against (a) the same app stack,
 * cookie and route with a hard-wired tenant handle (no resolver, membership look-up or router
 * lease) and (b) bare express with raw prepared statements sending the same response (the
 * ceiling; support/routing-sides.ts builds every side). (a') is the earlier
 * definition of (a), bare express with the route body on the handle, kept for comparison.
 */
export async function runRoutingCost(ctx: BenchContext): Promise<BenchOutput> {
  const temp = makeTempDir('routing');
  const servers: Listening[] = [];
  try {
    // Set-up in this process; every side then serves from a process of its own
    // (support/routing-side-child.ts), as a deployment serves one app.
    const platform = await openBenchPlatform(temp.path);
    let userId: string;
    const email = 'routing@bench.test';
    try {
      const tenant = await provisionWithItems(platform, temp.path, { slug: SLUG, name: 'Routing bench' });
      userId = await createOwner(platform, email, [tenant]);
    } finally {
      await platform.close();
    }
    const path = `/t/${SLUG}/api/items/${ITEM_ID}`;
    // The REST API's rate limit (per user a minute) would answer most of the plan rows' requests with
    // 429: raised past any load, so that every measured request is the 200 it claims to be.
    const side = async (key: VariantKey) => {
      const started = await startRoutingSide({ side: key, dataDir: temp.path, slug: SLUG, userId, apiRateLimit: UNREACHED_API_RATE_LIMIT });
      servers.push(started);
      return started;
    };
    const sides = await Promise.all(SIDES.map(side));
    const server = (key: VariantKey) => sides[SIDES.indexOf(key)];
    const full = server('full');
    const cookie = await signIn(full.url, email, BENCH_PASSWORD);
    const apiPath = `/api/v1/t/${SLUG}/items/${ITEM_ID}`;

    // (a) the same app with a handle opened once in place of the tenant resolution, membership check
    // and router lease; (a') the route body on that handle in bare express: no session, auth,
    // resolver or router. (b) The ceiling: bare express and raw better-sqlite3 prepared statements,
    // sending exactly the full stack's answer (the item with its tags: two statements; the same
    // headers, set as constants, with a request id of its own) with ETag off as the full stack has
    // it, on the same kind of server as the product (requests and responses made with express's
    // prototypes: core/http/app-server.ts). (b0) is the same app on express's own listen, as
    // information: what a stock express server costs. (b1) sends the same body with express's
    // default headers only (about 1 KB less), as information: what the headers cost the ceiling.
    // The plan checks on the request path: the REST API's item read (feature gate `api`, the token
    // meter, the entitlements from the plan book) against the same stack answering from a constant;
    // each its own app, as the other sides.
    const variants: Variant[] = [
      { key: 'full', label: 'full stack (session, resolver, membership, permission, router)', server: full, headers: { cookie } },
      {
        key: 'handle',
        label: '(a) same stack and session, hard-wired tenant handle (no resolver, membership or router)',
        server: server('handle'),
        headers: { cookie },
      },
      { key: 'handleNoAuth', label: "(a') hard-wired handle, no session or auth (informational)", server: server('handleNoAuth') },
      {
        key: 'bare',
        label: '(b) bare express + raw prepared statements, the same response (body and headers), no ETag, the same server',
        server: server('bare'),
      },
      {
        key: 'bareBody',
        label: "(b1) the same bare express, the same body with express's default headers only (informational)",
        server: server('bareBody'),
      },
      { key: 'stock', label: "(b0) the same bare express on express's own listen (informational)", server: server('stock') },
      { key: 'planOn', label: 'REST API item read, plan limits and feature checks on', server: server('planOn'), headers: { cookie }, path: apiPath },
      {
        key: 'planOff',
        label: 'REST API item read, the same stack with the plan switched off',
        server: server('planOff'),
        headers: { cookie },
        path: apiPath,
      },
    ];
    for (const v of variants) await expectOk(v.server.url, v.path ?? path, v.headers?.cookie);
    await expectSameResponse(path, full, { cookie }, server('bare'));
    await expectSameResponse(path, full, { cookie }, server('stock'));
    await expectSameResponse(path, full, { cookie }, server('bareBody'), true);
    await expectSignInAsked(full.url, path);
    await expectSignInAsked(server('handle').url, path);

    const loadOf = (v: Variant) => ({ key: v.key, url: v.server.url, path: v.path ?? path, headers: v.headers, serverPid: v.server.pid });
    const isPlanRow = (v: Variant) => v.key === 'planOn' || v.key === 'planOff';
    const results = await interleavedLoads(ctx, 'routing', variants.filter((v) => !isPlanRow(v)).map(loadOf));
    // The plan checks cost a few per cent of a request, less than a long run's drift on a shared
    // machine moves it: three times the rounds at half the length, in alternating order.
    Object.assign(
      results,
      await interleavedLoads(ctx, 'routing', variants.filter(isPlanRow).map(loadOf), {
        rounds: ctx.loadRuns * 3,
        seconds: ctx.loadSeconds / 2,
        alternate: true,
      }),
    );

    expectAllAnswered('routing', results);
    const rows: ResultRow[] = [];
    for (const v of variants) {
      const runs = results[v.key].length;
      const list = results[v.key];
      const cpu = median(list.map((r) => r.cpuUsPerRequest));
      const main = median(list.map((r) => r.mainThreadCpuUsPerRequest));
      const note = `p50 ${median(list.map((r) => r.p50Ms))} ms, p99 ${median(list.map((r) => r.p99Ms))} ms, server CPU ${cpu.toFixed(0)} us/req whole process (main thread ${main.toFixed(0)}); ${spread(
        list.map((r) => r.reqPerSec),
        0,
      )} req/s`;
      rows.push(row(BENCH, v.label, median(list.map((r) => r.reqPerSec)), 'req/s', { runs, note }));
    }
    // Paired per-run ratios: each run's variants ran back to back.
    const ratioOf = (base: VariantKey, other: VariantKey) => results[base].map((r, i) => r.reqPerSec / results[other][i].reqPerSec);
    const ratio = (other: VariantKey) => median(ratioOf('full', other));
    // The same ratio from whole-process CPU time per request (steadier than throughput on a busy
    // machine): the figure the targets are judged on, with the throughput ratio and the main
    // thread's beside it.
    const cpuRatios = (other: VariantKey) => results.full.map((r, i) => results[other][i].cpuUsPerRequest / r.cpuUsPerRequest);
    const mainRatio = (other: VariantKey) => median(results.full.map((r, i) => results[other][i].mainThreadCpuUsPerRequest / r.mainThreadCpuUsPerRequest));
    const cpuRow = (label: string, other: VariantKey, target?: number, more = '') =>
      row(BENCH, label, median(cpuRatios(other)), 'x', {
        runs: ctx.loadRuns,
        target: target === undefined ? undefined : { op: '>=', value: target },
        note: `${spread(cpuRatios(other), 2)}; by throughput ${ratio(other).toFixed(2)}x (${spread(ratioOf('full', other), 2)}); main thread ${mainRatio(other).toFixed(2)}x${more}`,
      });
    rows.push(cpuRow('full / (a), whole-process CPU per request', 'handle', 0.95));
    rows.push(cpuRow('full / (b), whole-process CPU per request', 'bare', 0.8, '; 0.6x is the floor'));
    rows.push(cpuRow('full / (b1) body only, whole-process CPU per request (informational)', 'bareBody'));
    rows.push(cpuRow('full / (b0) stock express, whole-process CPU per request (informational)', 'stock'));
    const planCpu = results.planOn.map((r, i) => results.planOff[i].cpuUsPerRequest / r.cpuUsPerRequest);
    rows.push(
      row(BENCH, 'plan checks on / off, whole-process CPU per request', median(planCpu), 'x', {
        runs: planCpu.length,
        target: { op: '>=', value: 0.97 },
        note: `${spread(planCpu, 3)}; by throughput ${median(ratioOf('planOn', 'planOff')).toFixed(3)}x (${spread(ratioOf('planOn', 'planOff'), 3)})`,
      }),
    );
    return { rows, details: { path, connections: ctx.connections, seconds: ctx.loadSeconds, results } };
  } finally {
    for (const server of servers) await server.close();
    temp.remove();
  }
}
