import crypto from 'node:crypto';
import express, { type RequestHandler } from 'express';
import BetterSqlite3 from 'better-sqlite3';
import { createApp, installCommonMiddleware, installErrorHandlers } from '../app/create-app';
import { UnauthenticatedError } from '../core/errors/app-errors';
import { RequestClient } from '../core/http/client-of';
import { parseNumericId } from '../core/http/url-id';
import type { Platform } from '../app/create-platform';
import type { TenantRecord } from '../control-plane/tenants/tenant-record';
import { TenantDatabase } from '../tenant-runtime/tenant-database';
import { buildTenantContext } from '../tenant-runtime/tenant-request-context';
import { setTenantContext } from '../tenant-runtime/tenant-access-middleware';
import { accessibleTenant } from '../control-plane/tenants/accessible-tenant';
import { workspaceBranding } from '../workspace/settings/branding';
import { toSessionUser } from '../control-plane/users/user-record';
import { tenantPaths } from '../tenant-runtime/tenant-paths';
import { TenantRouteTable } from '../tenant-runtime/tenant-route-table';
import { atTenantPath } from '../tenant-runtime/tenant-path-mount';
import { serveWithAppPrototypes } from '../core/http/app-server';
import { helmetOptions, securityHeaders } from '../core/http/security-headers';
import { createPlatformMetrics } from '../control-plane/metrics/platform-metrics';
import { itemRoutes } from '../workspace/routes/item-routes';
import { ItemRepository } from '../workspace/items/item-repository';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { BENCH_PASSWORD, createOwner, openBenchPlatform } from './support/bench-platform';
import { makeTempDir } from './support/temp-data-dir';
import { listen, type Listening } from './support/http-load';
import { interleavedLoads } from './support/interleaved-loads';
import { expectOk, signIn } from './support/sign-in';
import { provisionWithItems } from './support/tenant-items';
import { median, spread } from './support/stats';
import { UNLIMITED } from '../tenant-runtime/plan-catalogue';
import { row, type ResultRow } from './support/result-row';

const BENCH = '1. Routing cost';
const SLUG = 'routing-bench';
const ITEM_ID = 500;
const ROUTE = '/t/:slug/api/items/:id';

type VariantKey = 'full' | 'handle' | 'handleNoAuth' | 'bare' | 'bareBody' | 'stock' | 'planOn' | 'planOff';

interface Variant {
  key: VariantKey;
  label: string;
  server: Listening;
  headers?: Record<string, string>;
  /** Another path than the item page's JSON (the REST API's item, for the plan checks). */
  path?: string;
}

/**
 * The same platform with the plan switched off: every tenant unlimited with every feature on,
 * answered by a constant instead of the plan book (its cache and its data_version check).
 */
function withoutPlans(platform: Platform): Platform {
  const constant = { entitlementsOf: () => UNLIMITED } as unknown as Platform['planBook'];
  // A plain copy (not a prototype chain), so the two apps reach the rest of the platform alike.
  return { ...platform, planBook: constant };
}

/**
 * (a): the app createApp builds, down to the same cookie, session layer, CSRF, locals and
 * error handlers, and the same item routes behind the same permission gates; only the tenant
 * resolution, membership check and router lease are replaced by a handle opened once.
 */
function hardWiredTenantApp(platform: Platform, tenant: TenantRecord, userId: string, db: TenantDatabase): express.Express {
  const user = platform.users.findById(userId);
  const access = user && accessibleTenant(platform.access, toSessionUser(user), tenant);
  if (!access) throw new Error('bench owner is not a member of the bench tenant');
  const grant = { role: access.role, permissions: access.permissions };
  const hardWired: RequestHandler = (req, res, next) => {
    // Signed-out requests are refused as on the real route (the JSON route answers 401).
    if (!req.user) return next(new UnauthenticatedError());
    req.tenantId = tenant.id;
    const ctx = buildTenantContext({
      tenant,
      grant,
      user: req.user,
      client: new RequestClient(req),
      db,
      base: `/t/${tenant.slug}`,
      audit: platform.audit,
      branding: workspaceBranding,
      entitlementsOf: (tenantId) => platform.planBook.entitlementsOf(tenantId),
    });
    setTenantContext(res, ctx);
    next();
  };
  const app = express();
  const table = new TenantRouteTable(hardWired);
  // The bench reads only: nothing is ever deferred, so the work runs at once.
  itemRoutes(table, platform, (_name, work) => void work());
  // Request metrics and the tenant pages in the common step, as createApp has them.
  installCommonMiddleware(app, platform, { observeRequest: createPlatformMetrics(platform).observeRequest, then: atTenantPath(table.handler) });
  installErrorHandlers(app, platform);
  return app;
}

/** Fails fast unless a request without the session cookie is refused (the auth is really paid for). */
async function expectSignInAsked(baseUrl: string, path: string): Promise<void> {
  const response = await fetch(baseUrl + path, { redirect: 'manual' });
  await response.arrayBuffer();
  if (response.status !== 401) throw new Error(`GET ${path} without a session: HTTP ${response.status}, expected 401`);
}

/** Headers that differ between any two responses: the time and the request's id. */
const PER_RESPONSE = new Set(['date', 'x-request-id']);

/**
 * Fails fast unless the other side answers with the same bytes as the full stack: the same body
 * and, unless only the body is asked for, the same headers (only the date and the request id
 * differ, and both sides send one). Neither side may send an ETag.
 */
async function expectSameResponse(path: string, full: Listening, headers: Record<string, string>, other: Listening, bodyOnly = false): Promise<void> {
  const [a, b] = await Promise.all([fetch(full.url + path, { headers }), fetch(other.url + path)]);
  const [bodyA, bodyB] = await Promise.all([a.text(), b.text()]);
  if (bodyA !== bodyB) throw new Error(`the other side answers other bytes than the full stack:\n${bodyA}\n${bodyB}`);
  if (a.headers.has('etag') || b.headers.has('etag')) throw new Error('an ETag is sent: both sides must leave it off');
  if (bodyOnly) return;
  const lines = (response: Response) =>
    [...response.headers].map(([name, value]) => (PER_RESPONSE.has(name) ? `${name}: (per response)` : `${name}: ${value}`)).join('\n');
  if (lines(a) !== lines(b)) throw new Error(`the other side answers other headers than the full stack:\n${lines(a)}\n---\n${lines(b)}`);
}

/**
 * One authenticated JSON read by id through the whole stack, against (a) the same app stack,
 * cookie and route with a hard-wired tenant handle (no resolver, membership look-up or router
 * lease) and (b) bare express with a raw prepared statement (the ceiling). (a') is the earlier
 * definition of (a), bare express with the route body on the handle, kept for comparison.
 */
export async function runRoutingCost(ctx: BenchContext): Promise<BenchOutput> {
  const temp = makeTempDir('routing');
  // The REST API's rate limit (per user a minute) would answer most of the plan rows' requests with
  // 429: raised to its maximum so that every measured request is the 200 it claims to be.
  const platform = await openBenchPlatform(temp.path, { apiRateLimit: 100_000 });
  const servers: Listening[] = [];
  const closers: Array<() => void> = [];
  try {
    const tenant = await provisionWithItems(platform, temp.path, { slug: SLUG, name: 'Routing bench' });
    const email = 'routing@bench.test';
    const userId = await createOwner(platform, email, [tenant]);
    const path = `/t/${SLUG}/api/items/${ITEM_ID}`;

    const full = await listen(createApp(platform, { loginLimits: { perIp: 1e6, freeFailures: 1e6 } }).app);
    servers.push(full);
    const cookie = await signIn(full.url, email, BENCH_PASSWORD);

    // (a) and (a') share one handle, opened once, outside the router.
    const handle = new TenantDatabase(tenant.id, tenantPaths(temp.path, tenant.id).database);
    closers.push(() => handle.close());
    const handleServer = await listen(hardWiredTenantApp(platform, tenant, userId, handle));
    servers.push(handleServer);

    // (a') The route body on the handle in bare express: no session, auth, resolver or router.
    const noAuthApp = express();
    noAuthApp.get(ROUTE, (req, res) => {
      const id = parseNumericId(req.params.id);
      const item = id === undefined ? undefined : new ItemRepository(handle).find(id);
      if (!item) return void res.status(404).json({ error: 'not found' });
      res.json({ item });
    });
    // Served as the product's app is (requests made with express's prototypes), like (b).
    serveWithAppPrototypes(noAuthApp);
    const noAuthServer = await listen(noAuthApp);
    servers.push(noAuthServer);

    // (b) The ceiling: bare express and raw better-sqlite3 prepared statements, sending exactly the
    // full stack's answer (the item with its tags: two statements; the same headers, set as
    // constants, with a request id of its own) with ETag off as the full stack has it, on the same
    // kind of server as the product (requests and responses made with express's prototypes:
    // core/http/app-server.ts). (b0) is the same app on express's own listen, as information: what
    // a stock express server costs. (b1) sends the same body with express's default headers only
    // (about 1 KB less), as information: what the headers cost the ceiling.
    const raw = new BetterSqlite3(tenantPaths(temp.path, tenant.id).database, { fileMustExist: true });
    closers.push(() => raw.close());
    const select = raw.prepare('select * from items where id = ?');
    const selectTags = raw.prepare('select tag from item_tags where item_id = ? order by tag').pluck();
    const sameHeaders = securityHeaders(helmetOptions(platform.config.secureCookies));
    const bareExpress = (headers: 'same' | 'express') => {
      const app = express();
      app.set('etag', false);
      if (headers === 'same') app.disable('x-powered-by');
      app.get(ROUTE, (req, res) => {
        if (headers === 'same') {
          for (const [name, value] of sameHeaders) res.setHeader(name, value);
          res.setHeader('x-request-id', crypto.randomUUID());
        }
        const item = select.get(Number(req.params.id)) as { id: number } | undefined;
        if (!item) return void res.status(404).json({ error: 'not found' });
        res.json({ item: { ...item, tags: selectTags.all(item.id) } });
      });
      return app;
    };
    const bareApp = bareExpress('same');
    serveWithAppPrototypes(bareApp);
    const bareServer = await listen(bareApp);
    servers.push(bareServer);
    const bodyOnlyApp = bareExpress('express');
    serveWithAppPrototypes(bodyOnlyApp);
    const bodyOnlyServer = await listen(bodyOnlyApp);
    servers.push(bodyOnlyServer);
    const stockServer = await listen(bareExpress('same'));
    servers.push(stockServer);

    // The plan checks on the request path: the REST API's item read (feature gate `api`, the token
    // meter, the entitlements from the plan book) against the same stack answering from a constant.
    const apiPath = `/api/v1/t/${SLUG}/items/${ITEM_ID}`;
    const planOff = await listen(createApp(withoutPlans(platform), { loginLimits: { perIp: 1e6, freeFailures: 1e6 } }).app);
    servers.push(planOff);
    // Its own app as the other side has, serving this one route: the full stack's server also
    // serves the item page, and sharing it would compare a server warmed on two routes with one.
    const planOn = await listen(createApp(platform, { loginLimits: { perIp: 1e6, freeFailures: 1e6 } }).app);
    servers.push(planOn);

    const variants: Variant[] = [
      { key: 'full', label: 'full stack (session, resolver, membership, permission, router)', server: full, headers: { cookie } },
      {
        key: 'handle',
        label: '(a) same stack and session, hard-wired tenant handle (no resolver, membership or router)',
        server: handleServer,
        headers: { cookie },
      },
      { key: 'handleNoAuth', label: "(a') hard-wired handle, no session or auth (informational)", server: noAuthServer },
      {
        key: 'bare',
        label: '(b) bare express + raw prepared statements, the same response (body and headers), no ETag, the same server',
        server: bareServer,
      },
      { key: 'bareBody', label: "(b1) the same bare express, the same body with express's default headers only (informational)", server: bodyOnlyServer },
      { key: 'stock', label: "(b0) the same bare express on express's own listen (informational)", server: stockServer },
      { key: 'planOn', label: 'REST API item read, plan limits and feature checks on', server: planOn, headers: { cookie }, path: apiPath },
      { key: 'planOff', label: 'REST API item read, the same stack with the plan switched off', server: planOff, headers: { cookie }, path: apiPath },
    ];
    for (const v of variants) await expectOk(v.server.url, v.path ?? path, v.headers?.cookie);
    await expectSameResponse(path, full, { cookie }, bareServer);
    await expectSameResponse(path, full, { cookie }, stockServer);
    await expectSameResponse(path, full, { cookie }, bodyOnlyServer, true);
    await expectSignInAsked(full.url, path);
    await expectSignInAsked(handleServer.url, path);

    const results = await interleavedLoads(
      ctx,
      'routing',
      variants.map((v) => ({ key: v.key, url: v.server.url, path: v.path ?? path, headers: v.headers })),
    );

    const runs = ctx.loadRuns;
    const rows: ResultRow[] = [];
    for (const v of variants) {
      const list = results[v.key];
      const bad = list.reduce((n, r) => n + r.non2xx + r.errors, 0);
      // A row measured on refusals (a rate limit, a gate) would compare other work: it is not a result.
      if (bad) throw new Error(`routing ${v.key}: ${bad} requests answered other than 2xx; the row would not measure the read it names`);
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
    // The same ratio from whole-process CPU time per request (steadier than throughput on a busy machine), and the main thread's.
    const cpuRatios = (other: VariantKey) => results.full.map((r, i) => results[other][i].cpuUsPerRequest / r.cpuUsPerRequest);
    const cpuRatio = (other: VariantKey) => median(cpuRatios(other));
    const mainRatio = (other: VariantKey) => median(results.full.map((r, i) => results[other][i].mainThreadCpuUsPerRequest / r.mainThreadCpuUsPerRequest));
    const cpuNote = (other: VariantKey) =>
      `by whole-process CPU per request: ${cpuRatio(other).toFixed(2)}x (${spread(cpuRatios(other), 2)}; main thread ${mainRatio(other).toFixed(2)}x)`;
    rows.push(
      row(BENCH, 'throughput ratio full / (a)', ratio('handle'), 'x', {
        runs,
        target: { op: '>=', value: 0.95 },
        note: cpuNote('handle'),
      }),
    );
    rows.push(
      row(BENCH, 'throughput ratio full / (b)', ratio('bare'), 'x', {
        runs,
        target: { op: '>=', value: 0.8 },
        note: `${cpuNote('bare')}; 0.6x is the floor`,
      }),
    );
    rows.push(row(BENCH, 'throughput ratio full / (b1), body only (informational)', ratio('bareBody'), 'x', { runs, note: cpuNote('bareBody') }));
    rows.push(row(BENCH, 'throughput ratio full / (b0), stock express (informational)', ratio('stock'), 'x', { runs, note: cpuNote('stock') }));
    const planCpu = results.planOn.map((r, i) => results.planOff[i].cpuUsPerRequest / r.cpuUsPerRequest);
    rows.push(
      row(BENCH, 'throughput ratio plan checks on / off', median(ratioOf('planOn', 'planOff')), 'x', {
        runs,
        target: { op: '>=', value: 0.97 },
        note: `${spread(ratioOf('planOn', 'planOff'), 3)}; by whole-process CPU per request: ${median(planCpu).toFixed(3)}x (${spread(planCpu, 3)})`,
      }),
    );
    return { rows, details: { path, connections: ctx.connections, seconds: ctx.loadSeconds, results } };
  } finally {
    for (const server of servers) await server.close();
    for (const close of closers) close();
    await platform.close();
    temp.remove();
  }
}
