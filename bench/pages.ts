import type { BenchContext, BenchOutput } from './support/bench-context';
import { BENCH_PASSWORD, benchApp, createOwner, openBenchPlatform } from './support/bench-platform';
import { makeTempDir } from './support/temp-data-dir';
import { listen } from './support/http-load';
import { signIn } from './support/sign-in';
import { provisionWithItems } from './support/tenant-items';
import { provisionDeps, provisionTenant } from '../control-plane/provisioning/provision-tenant';
import { median, spread } from './support/stats';
import { row } from './support/result-row';
import { interleavedLoads, type LoadVariant } from './support/interleaved-loads';

const BENCH = '12. Pages';
const SLUG = 'pages-bench';

type PageKey = 'item' | 'list' | 'agency' | 'json';
/** Workspaces of the agency member: the header's switcher holds one form for each. */
const AGENCY_WORKSPACES = 50;

/**
 * Server-rendered pages as a signed-in member sees them, through the whole stack (session,
 * tenant entry, permission, lease, render): an item's page, the items list (its first page of
 * 25 rows, each with its status, tags and times), the same list for a member of 50 workspaces (an
 * agency: the header's switcher lists them all) and, for comparison, the same item as JSON.
 * A workspace of 1,000 items. No target: the rows are there so that a page's cost is measured.
 */
export async function runPages(ctx: BenchContext): Promise<BenchOutput> {
  const temp = makeTempDir('pages');
  const platform = await openBenchPlatform(temp.path);
  try {
    const tenant = await provisionWithItems(platform, temp.path, { slug: SLUG, name: 'Pages bench' });
    await createOwner(platform, 'pages@bench.test', [tenant]);
    const others = [];
    for (let i = 1; i < AGENCY_WORKSPACES; i++) others.push(await provisionTenant(provisionDeps(platform), { slug: `pages-client-${i}`, name: `Client ${i}` }));
    await createOwner(platform, 'agency@bench.test', [tenant, ...others]);
    const server = await listen(benchApp(platform));
    try {
      const cookie = await signIn(server.url, 'pages@bench.test', BENCH_PASSWORD);
      const agencyCookie = await signIn(server.url, 'agency@bench.test', BENCH_PASSWORD);
      const kinds: Array<{ key: PageKey; label: string; path: string; shows: string; cookie?: string }> = [
        { key: 'item', label: "an item's page (HTML)", path: `/t/${SLUG}/items/500`, shows: '<h1' },
        { key: 'list', label: 'the items list, first page of 25 rows (HTML)', path: `/t/${SLUG}/items`, shows: '<table' },
        {
          key: 'agency',
          label: `the same list for a member of ${AGENCY_WORKSPACES} workspaces (HTML)`,
          path: `/t/${SLUG}/items`,
          shows: `Client ${AGENCY_WORKSPACES - 1}`,
          cookie: agencyCookie,
        },
        { key: 'json', label: 'the same item as JSON (for comparison)', path: `/t/${SLUG}/api/items/500`, shows: '"item"' },
      ];
      const pages: Array<LoadVariant<PageKey> & { label: string; shows: string }> = kinds.map(({ cookie: own, ...p }) => ({
        ...p,
        url: server.url,
        headers: { cookie: own ?? cookie },
      }));
      for (const page of pages) {
        const response = await fetch(server.url + page.path, { headers: page.headers, redirect: 'manual' });
        const body = await response.text();
        if (response.status !== 200 || !body.includes(page.shows)) throw new Error(`GET ${page.path}: HTTP ${response.status}, not the page measured`);
      }
      const results = await interleavedLoads(ctx, 'pages', pages);
      const rows = pages.map((page) => {
        const list = results[page.key];
        const bad = list.reduce((n, r) => n + r.non2xx + r.errors, 0);
        if (bad) throw new Error(`pages ${page.key}: ${bad} requests answered other than 2xx`);
        const cpu = median(list.map((r) => r.cpuUsPerRequest));
        return row(BENCH, page.label, cpu, 'us/req', {
          runs: ctx.loadRuns,
          note: `whole-process CPU per request (main thread ${median(list.map((r) => r.mainThreadCpuUsPerRequest)).toFixed(0)}); ${median(list.map((r) => r.reqPerSec)).toFixed(0)} req/s, p50 ${median(list.map((r) => r.p50Ms))} ms, p99 ${median(list.map((r) => r.p99Ms))} ms; ${spread(
            list.map((r) => r.cpuUsPerRequest),
            0,
            'us',
          )}`,
        });
      });
      return { rows, details: { connections: ctx.connections, seconds: ctx.loadSeconds, results } };
    } finally {
      await server.close();
    }
  } finally {
    await platform.close();
    temp.remove();
  }
}
