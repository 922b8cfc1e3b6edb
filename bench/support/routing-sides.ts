import crypto from 'node:crypto';
import express, { type RequestHandler } from 'express';
import BetterSqlite3 from 'better-sqlite3';
import { installCommonMiddleware, installErrorHandlers } from '../../app/create-app';
import type { Platform } from '../../app/create-platform';
import { UnauthenticatedError } from '../../core/errors/app-errors';
import { serveWithAppPrototypes } from '../../core/http/app-server';
import { RequestClient } from '../../core/http/client-of';
import { parseNumericId } from '../../core/http/url-id';
import { createPlatformMetrics } from '../../control-plane/metrics/platform-metrics';
import { accessibleTenant } from '../../control-plane/tenants/accessible-tenant';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { toSessionUser } from '../../control-plane/users/user-record';
import { UNLIMITED } from '../../tenant-runtime/plan-catalogue';
import { setTenantContext } from '../../tenant-runtime/tenant-access-middleware';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { atTenantPath } from '../../tenant-runtime/tenant-path-mount';
import { buildTenantContext } from '../../tenant-runtime/tenant-request-context';
import { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { ItemRepository } from '../../workspace/items/item-repository';
import { itemRoutes } from '../../workspace/routes/item-routes';
import { workspaceBranding } from '../../workspace/settings/branding';
import type { Listening } from './http-load';

/** The item read every side of the routing benchmark answers. */
export const ITEM_ROUTE = '/t/:slug/api/items/:id';

/**
 * The same platform with the plan switched off: every tenant unlimited with every feature on,
 * answered by a constant instead of the plan book (its cache and its data_version check).
 */
export function withoutPlans(platform: Platform): Platform {
  const constant = { entitlementsOf: () => UNLIMITED } as unknown as Platform['planBook'];
  // A plain copy (not a prototype chain), so the two apps reach the rest of the platform alike.
  return { ...platform, planBook: constant };
}

/**
 * (a): the app createApp builds, down to the same cookie, session layer, CSRF, locals and
 * error handlers, and the same item routes behind the same permission gates; only the tenant
 * resolution, membership check and router lease are replaced by a handle opened once.
 */
export function hardWiredTenantApp(platform: Platform, tenant: TenantRecord, userId: string, db: TenantDatabase): express.Express {
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
export async function expectSignInAsked(baseUrl: string, path: string): Promise<void> {
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
export async function expectSameResponse(path: string, full: Listening, headers: Record<string, string>, other: Listening, bodyOnly = false): Promise<void> {
  const [a, b] = await Promise.all([fetch(full.url + path, { headers }), fetch(other.url + path)]);
  const [bodyA, bodyB] = await Promise.all([a.text(), b.text()]);
  if (bodyA !== bodyB) throw new Error(`the other side answers other bytes than the full stack:\n${bodyA}\n${bodyB}`);
  if (a.headers.has('etag') || b.headers.has('etag')) throw new Error('an ETag is sent: both sides must leave it off');
  if (bodyOnly) return;
  const lines = (response: Response) =>
    [...response.headers].map(([name, value]) => (PER_RESPONSE.has(name) ? `${name}: (per response)` : `${name}: ${value}`)).join('\n');
  if (lines(a) !== lines(b)) throw new Error(`the other side answers other headers than the full stack:\n${lines(a)}\n---\n${lines(b)}`);
}

/** (a'): the route body on the handle in bare express, with no session, auth, resolver or router. */
export function noAuthItemApp(handle: TenantDatabase): express.Express {
  const app = express();
  app.get(ITEM_ROUTE, (req, res) => {
    const id = parseNumericId(req.params.id);
    const item = id === undefined ? undefined : new ItemRepository(handle).find(id);
    if (!item) return void res.status(404).json({ error: 'not found' });
    res.json({ item });
  });
  // Served as the product's app is (requests made with express's prototypes), like (b).
  return withAppPrototypes(app);
}

/** The ceiling's two prepared statements on a raw connection: the item, and its tags. */
export interface RawItemReader {
  item(id: number): { id: number } | undefined;
  tags(id: number): unknown[];
  close(): void;
}

export function rawItemReader(file: string): RawItemReader {
  const raw = new BetterSqlite3(file, { fileMustExist: true });
  const select = raw.prepare('select * from items where id = ?');
  const selectTags = raw.prepare('select tag from item_tags where item_id = ? order by tag').pluck();
  return {
    item: (id) => select.get(id) as { id: number } | undefined,
    tags: (id) => selectTags.all(id),
    close: () => raw.close(),
  };
}

/**
 * (b): bare express and raw prepared statements sending the full stack's answer (the item with its
 * tags), ETag off as the full stack has it. Given the full stack's security headers, it sends them
 * too (as constants, with a request id of its own) and no X-Powered-By: the same response; without
 * them, express's default headers only (b1, about 1 KB less).
 */
export function bareItemApp(reader: RawItemReader, sameHeaders?: ReadonlyArray<readonly [string, string]>): express.Express {
  const app = express();
  app.set('etag', false);
  if (sameHeaders) app.disable('x-powered-by');
  app.get(ITEM_ROUTE, (req, res) => {
    if (sameHeaders) {
      for (const [name, value] of sameHeaders) res.setHeader(name, value);
      res.setHeader('x-request-id', crypto.randomUUID());
    }
    const item = reader.item(Number(req.params.id));
    if (!item) return void res.status(404).json({ error: 'not found' });
    res.json({ item: { ...item, tags: reader.tags(item.id) } });
  });
  return app;
}

/** The app served as the product's is: requests and responses made with express's prototypes (core/http/app-server.ts). */
export function withAppPrototypes(app: express.Express): express.Express {
  serveWithAppPrototypes(app);
  return app;
}
