import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from './test-platform';
import { createLogger } from '../../core/logging/logger';
import { createApp } from '../../app/create-app';
import { API_PREFIX, TENANT_API_PREFIX } from '../../app/api-routes';
import { send, type RawRequest } from './raw-http';
import { declaredRoutes, type Route } from './declared-routes';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { FEATURE_KEYS } from '../../tenant-runtime/plan-catalogue';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from './factories';
import { bearer, personalToken } from './api-tokens';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../control-plane/users/user-record';
import { ALL_PERMISSIONS } from '../../tenant-runtime/permission-catalogue';
import { PLATFORM_SCOPES } from '../../control-plane/api-tokens/token-scopes';

/** Which tables a request wrote to, by triggers on every table of a database file. */
export function watchWrites(file: string) {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  db.exec('create table if not exists sweep_writes (tbl text not null)');
  const tables = (
    db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name != 'sweep_writes'").all() as Array<{ name: string }>
  ).map((r) => r.name);
  for (const table of tables)
    for (const event of ['insert', 'update', 'delete'])
      db.exec(
        `create trigger if not exists "sweep_${table}_${event}" after ${event === 'update' ? updateOf(db, table) : event} on "${table}" begin insert into sweep_writes (tbl) values ('${table}'); end`,
      );
  const count = db.prepare('select count(*) as n from sweep_writes').pluck();
  const since = db.prepare('select distinct tbl from sweep_writes where rowid > ?').pluck();
  return {
    mark: () => count.get() as number,
    tablesSince: (mark: number) => since.all(mark) as string[],
    close: () => db.close(),
  };
}

/**
 * Columns a credential's use touches, at most once a minute whatever the answer (a session's
 * sliding expiry, a token's last use): a sweep that runs past a minute sees them written behind
 * a refusal, which is no write of the request's.
 */
const USE_TOUCHES: Record<string, readonly string[]> = {
  sessions: ['expires_at', 'last_seen_at'],
  api_tokens: ['last_used_at', 'last_used_ip'],
};

/** `update` or `update of <every column but the ones a use touches>`, for a trigger on this table. */
function updateOf(db: InstanceType<typeof Database>, table: string): string {
  const touched = USE_TOUCHES[table];
  if (!touched) return 'update';
  const columns = (db.prepare(`select name from pragma_table_info(?)`).pluck().all(table) as string[]).filter((c) => !touched.includes(c));
  return `update of ${columns.map((c) => `"${c}"`).join(', ')}`;
}

/** Bookkeeping a refused request may write: the audit of the refusal, the count of API requests. */
export const BOOKKEEPING = new Set(['audit_events', 'usage_counters']);

/** What an answer's body must never show: a stack, SQL, a database error's name. */
export const LEAKS = [
  /SQLITE_[A-Z]+/,
  /SqliteError/,
  /\n\s+at .+:\d+:\d+\)?/,
  /node_modules/,
  /\b(?:select|update|insert into|delete from)\b[^<]{0,80}\b(?:from|set|values|where)\b/i,
];

/** A running app with a super admin (owner of one workspace with every feature), their session, an API token and an item. */
export interface SweepTarget {
  t: TestPlatform;
  port: number;
  admin: UserRecord;
  tenant: TenantRecord;
  token: string;
  /** The signed-in session's cookies and its CSRF token. */
  cookie: string;
  csrf: string;
  itemId: string;
  routes: Route[];
  /** Every log line written at error level or above, and every log line at all (info and up). */
  errors: string[];
  lines: string[];
  writes: { platform: ReturnType<typeof watchWrites>; tenant: ReturnType<typeof watchWrites> };
  close(): Promise<void>;
}

/** Starts the app on a port of its own, signs the super admin in by a real form post and makes one item. */
export async function startSweepTarget(logLevel: 'info' | 'error' = 'error'): Promise<SweepTarget> {
  const errors: string[] = [];
  const lines: string[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _enc, done) {
      const line = chunk.toString();
      lines.push(line);
      if (/"level":(50|60)/.test(line)) errors.push(line.slice(0, 2000));
      done();
    },
  });
  const t = await createTestPlatform({ API_RATE_LIMIT: '100000' }, { logger: createLogger(logLevel, collect) });
  const admin = await makeUser(t.platform, { superAdmin: true });
  const tenant = await makeTenant(t.platform);
  await addMember(t.platform, admin, tenant);
  t.platform.plans.setTenantOverrides(tenant.id, { features: Object.fromEntries(FEATURE_KEYS.map((k) => [k, true])) });
  // Every scope, the super admin's included, so the admin API's requests reach their handlers too.
  const token = personalToken(t.platform, admin, { scopes: [...ALL_PERMISSIONS, ...Object.keys(PLATFORM_SCOPES)] });
  const { app } = createApp(t.platform);
  const routes = declaredRoutes(app, t.platform);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const { cookie, csrf } = await signInByForm(port, admin.email);
  const created = await fetch(`http://127.0.0.1:${port}${API_PREFIX}/t/${tenant.slug}/items`, {
    method: 'POST',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Sweep' }),
  });
  const itemId = String(((await created.json()) as { data: { id: number } }).data.id);
  const writes = {
    platform: watchWrites(path.join(t.dataDir, 'platform.sqlite')),
    tenant: watchWrites(tenantPaths(t.dataDir, tenant.id).database),
  };
  return {
    t,
    port,
    admin,
    tenant,
    token,
    cookie,
    csrf,
    itemId,
    routes,
    errors,
    lines,
    writes,
    async close() {
      writes.platform.close();
      writes.tenant.close();
      await new Promise((resolve) => server.close(resolve));
      await t.cleanup();
    },
  };
}

/** Signs a user in by a real form post, keeping the session's cookies and the CSRF token of a page after it. */
async function signInByForm(port: number, email: string): Promise<{ cookie: string; csrf: string }> {
  const page = await fetch(`http://127.0.0.1:${port}/login`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]);
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`http://127.0.0.1:${port}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ email, password: TEST_PASSWORD, _csrf }).toString(),
  });
  if (res.status !== 302) throw new Error(`sign-in failed: ${res.status}`);
  const jar = new Map(cookies.map((c) => [c.split('=')[0], c] as [string, string]));
  for (const c of res.headers.getSetCookie()) jar.set(c.split('=')[0], c.split(';')[0]);
  const account = await fetch(`http://127.0.0.1:${port}/account`, { headers: { cookie: [...jar.values()].join('; ') } });
  for (const c of account.headers.getSetCookie()) jar.set(c.split('=')[0], c.split(';')[0]);
  return { cookie: [...jar.values()].join('; '), csrf: /name="_csrf" value="([^"]+)"/.exec(await account.text())?.[1] ?? '' };
}

/** One hostile request of a route, named for the problem list. */
export interface Variant {
  name: string;
  request: RawRequest;
}

/** A route that takes no input and works for a second or more (a whole export): it gets only what is refused before its work. */
export function isHeavy(route: Route): boolean {
  return route.method === 'post' && route.path === '/t/:slug/export';
}

function endsSession(route: Route): boolean {
  return ['/logout', '/account/sessions/revoke', '/account/sessions/revoke-others', '/account/leave'].includes(route.path);
}

/** The paths of the REST API (JSON only, problem+json answers); the rest are pages and the session's context API. */
export function isRest(route: Route): boolean {
  return [`${API_PREFIX}/t/`, `${API_PREFIX}/admin`, `${API_PREFIX}/me`].some((prefix) => route.path.startsWith(prefix));
}

/** A value for each of the route's parameters: the workspace's slug, the item made, else an id no record has. */
export function fillPath(target: SweepTarget, route: Route, override?: { name: string; value: string }): string {
  return route.path.replace(/:(\w+)/g, (_m, name: string) => {
    if (override?.name === name) return override.value;
    if (name === 'slug' && (route.path.startsWith('/t/') || route.path.startsWith(TENANT_API_PREFIX))) return target.tenant.slug;
    if (name === 'id' && /\/items\/:id/.test(route.path)) return target.itemId;
    return /id$/i.test(name) ? '999999' : 'no-such-thing';
  });
}

/**
 * Sends each route's hostile requests and lists what went wrong: a 500, a hang, a stack or SQL in
 * the body, an error logged, or a write behind a 4xx. The export goes first (a cut-off request has
 * the most time to go wrong while the rest runs), deletions next to last (the item stays for the
 * other routes), the session's end last (signing out answers any body).
 */
export async function sweep(target: SweepTarget, variantsOf: (route: Route, turn: number) => Variant[]): Promise<{ problems: string[]; sent: number }> {
  const { writes, errors } = target;
  const problems: string[] = [];
  let sent = 0;
  let logged = errors.length;
  const rank = (r: Route) => (isHeavy(r) ? 0 : endsSession(r) ? 3 : r.path.endsWith('/delete') ? 2 : 1);
  const ordered = [...target.routes].sort((a, b) => rank(a) - rank(b));
  for (const [index, route] of ordered.entries()) {
    for (const variant of variantsOf(route, index)) {
      const platformMark = writes.platform.mark();
      const tenantMark = writes.tenant.mark();
      const answer = await send(target.port, variant.request);
      sent++;
      const where = `${route.method.toUpperCase()} ${route.path} [${variant.name}]`;
      if (errors.length > logged) problems.push(`by ${where} or a request before it: ${errors.slice(logged).join(' | ').slice(0, 600)}`);
      logged = errors.length;
      if (answer === 'hang') {
        problems.push(`${where}: no answer`);
        continue;
      }
      if (answer.status >= 500 || answer.status === 0) problems.push(`${where}: ${answer.status} ${answer.body.slice(0, 300)}`);
      const leak = LEAKS.find((pattern) => pattern.test(answer.body));
      if (leak) problems.push(`${where}: the body shows ${leak} (${answer.status})`);
      if (answer.status >= 400 && answer.status < 500) {
        const written = [...writes.platform.tablesSince(platformMark), ...writes.tenant.tablesSince(tenantMark)].filter((table) => !BOOKKEEPING.has(table));
        if (written.length) problems.push(`${where}: ${answer.status} but wrote ${written.join(', ')}`);
      }
    }
  }
  if (errors.length > logged) problems.push(`after the last request: ${errors.slice(logged).join(' | ').slice(0, 600)}`);
  return { problems, sent };
}
