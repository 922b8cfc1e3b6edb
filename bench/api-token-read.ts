import { createPersonalToken } from '../control-plane/api-tokens/create-api-token';
import { ALL_PERMISSIONS } from '../tenant-runtime/permission-catalogue';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { BENCH_PASSWORD, UNREACHED_API_RATE_LIMIT, benchApp, createOwner, openBenchPlatform } from './support/bench-platform';
import { makeTempDir } from './support/temp-data-dir';
import { listen } from './support/http-load';
import { expectAllAnswered, interleavedLoads } from './support/interleaved-loads';
import { expectOk, signIn } from './support/sign-in';
import { provisionWithItems } from './support/tenant-items';
import { median } from './support/stats';
import { row, type ResultRow } from './support/result-row';

const BENCH = '8. API token read';
const SLUG = 'api-bench';
const ITEM_ID = 500;

type VariantKey = 'token' | 'cookie';

/**
 * One REST API point read, `GET /api/v1/t/:slug/items/:id`, on one server in the same run: with an
 * API token (bearer header: token look-up from its cache, the user read, no session, no CSRF)
 * against the same read with a signed-in session cookie (the session layer: the session with its user, the rest of
 * the session stack). Both pass the same rate limit, tenant entry, gates, lease and handler.
 */
export async function runApiTokenRead(ctx: BenchContext): Promise<BenchOutput> {
  const temp = makeTempDir('api-token');
  // The limit is per token (and per user for the session); the load must never reach it (it fails the benchmark).
  const platform = await openBenchPlatform(temp.path, { apiRateLimit: UNREACHED_API_RATE_LIMIT });
  try {
    const tenant = await provisionWithItems(platform, temp.path, { slug: SLUG, name: 'API bench' });
    const email = 'api@bench.test';
    const userId = await createOwner(platform, email, [tenant]);
    const user = platform.users.findById(userId);
    if (!user) throw new Error('bench user is missing');
    const token = createPersonalToken(
      platform,
      { id: user.id, email: user.email, name: user.name, isSuperAdmin: false, language: null },
      { name: 'bench', scopes: ALL_PERMISSIONS, expires_in_days: '30' },
      { ip: null, userAgent: null },
    )?.token;
    if (!token) throw new Error('bench token was not made');
    const server = await listen(benchApp(platform));
    const path = `/api/v1/t/${SLUG}/items/${ITEM_ID}`;
    const cookie = await signIn(server.url, email, BENCH_PASSWORD);
    const variants: Array<{ key: VariantKey; label: string; headers: Record<string, string> }> = [
      { key: 'token', label: 'API point read with a token (Authorization: Bearer)', headers: { authorization: `Bearer ${token}` } },
      { key: 'cookie', label: 'the same read with a session cookie', headers: { cookie } },
    ];
    try {
      for (const v of variants) {
        const res = await fetch(server.url + path, { headers: v.headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET ${path} (${v.key}): HTTP ${res.status}`);
      }
      await expectOk(server.url, path, cookie);
      const results = await interleavedLoads(
        ctx,
        'api',
        variants.map((v) => ({ key: v.key, url: server.url, path, headers: v.headers })),
      );
      expectAllAnswered('api', results);
      const runs = ctx.loadRuns;
      const rows: ResultRow[] = variants.map((v) => {
        const list = results[v.key];
        const cpu = median(list.map((r) => r.cpuUsPerRequest));
        const note = `p50 ${median(list.map((r) => r.p50Ms))} ms, p99 ${median(list.map((r) => r.p99Ms))} ms, server CPU ${cpu.toFixed(0)} us/req`;
        return row(BENCH, v.label, median(list.map((r) => r.reqPerSec)), 'req/s', { runs, note });
      });
      const ratio = median(results.token.map((r, i) => r.reqPerSec / results.cookie[i].reqPerSec));
      const cpuRatio = median(results.token.map((r, i) => results.cookie[i].cpuUsPerRequest / r.cpuUsPerRequest));
      rows.push(row(BENCH, 'throughput ratio token / cookie', ratio, 'x', { runs, note: `by server CPU per request: ${cpuRatio.toFixed(2)}x` }));
      return { rows, details: { path, connections: ctx.connections, seconds: ctx.loadSeconds, results } };
    } finally {
      await server.close();
    }
  } finally {
    await platform.close();
    temp.remove();
  }
}
