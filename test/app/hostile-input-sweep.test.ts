import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createLogger } from '../../core/logging/logger';
import { createApp } from '../../app/create-app';
import { API_PREFIX, TENANT_API_PREFIX } from '../../app/api-routes';
import { declaredRoutes, type Route } from '../support/declared-routes';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { FEATURE_KEYS } from '../../tenant-runtime/plan-catalogue';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../support/factories';
import { bearer, personalToken } from '../support/api-tokens';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** A Content-Length larger than the body sent, after which the client stops writing. */
  claimedLength?: number;
}

interface Answer {
  status: number;
  body: string;
}

/** Sends a request byte for byte (malformed escapes, cut-off bodies and odd headers go out as written). */
function send(port: number, req: RawRequest, timeoutMs = 4000): Promise<Answer | 'hang'> {
  return new Promise((resolve) => {
    const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body);
    const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, Connection: 'close', ...req.headers };
    if (req.body !== undefined || req.claimedLength !== undefined) headers['Content-Length'] = String(req.claimedLength ?? body.length);
    const head = `${req.method.toUpperCase()} ${req.path} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (answer: Answer | 'hang') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(parse(Buffer.concat(chunks)) ?? 'hang'), timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(parse(Buffer.concat(chunks)) ?? { status: 0, body: 'connection closed without an answer' }));
    socket.write(head);
    socket.write(body, () => {
      // A body cut short: the client says it has sent all it will.
      if (req.claimedLength !== undefined) socket.end();
    });
  });
}

/** A raw HTTP/1.1 answer's status and body (chunks joined); undefined when no status line came. */
function parse(raw: Buffer): Answer | undefined {
  const text = raw.toString('latin1');
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
  if (!status) return undefined;
  const split = text.indexOf('\r\n\r\n');
  let body = split < 0 ? '' : text.slice(split + 4);
  if (/\r\ntransfer-encoding: chunked/i.test(text.slice(0, split))) {
    let rest = body;
    body = '';
    for (;;) {
      const end = rest.indexOf('\r\n');
      const size = parseInt(rest.slice(0, end), 16);
      if (!(size > 0)) break;
      body += rest.slice(end + 2, end + 2 + size);
      rest = rest.slice(end + 4 + size);
    }
  }
  return { status: Number(status[1]), body: Buffer.from(body, 'latin1').toString('utf8') };
}

/** Which tables a request wrote to, by triggers on every table of a database file. */
function watchWrites(file: string) {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  db.exec('create table if not exists sweep_writes (tbl text not null)');
  const tables = (
    db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name != 'sweep_writes'").all() as Array<{ name: string }>
  ).map((r) => r.name);
  for (const table of tables)
    for (const event of ['insert', 'update', 'delete'])
      db.exec(
        `create trigger if not exists "sweep_${table}_${event}" after ${event} on "${table}" begin insert into sweep_writes (tbl) values ('${table}'); end`,
      );
  const count = db.prepare('select count(*) as n from sweep_writes').pluck();
  const since = db.prepare('select distinct tbl from sweep_writes where rowid > ?').pluck();
  return {
    mark: () => count.get() as number,
    tablesSince: (mark: number) => since.all(mark) as string[],
    close: () => db.close(),
  };
}

/** Bookkeeping a refused request may write: the audit of the refusal, the count of API requests. */
const BOOKKEEPING = new Set(['audit_events', 'usage_counters']);

const LEAKS = [
  /SQLITE_[A-Z]+/,
  /SqliteError/,
  /\n\s+at .+:\d+:\d+\)?/,
  /node_modules/,
  /\b(?:select|update|insert into|delete from)\b[^<]{0,80}\b(?:from|set|values|where)\b/i,
];

describe('every declared route, sent hostile input', () => {
  let t: TestPlatform;
  let server: http.Server;
  let port: number;
  let tenant: TenantRecord;
  let token: string;
  let cookie = '';
  let csrf = '';
  let itemId = '';
  let routes: Route[];
  const errors: string[] = [];
  let writes: { platform: ReturnType<typeof watchWrites>; tenant: ReturnType<typeof watchWrites> };

  const collectErrors = new Writable({
    write(chunk: Buffer, _enc, done) {
      const line = chunk.toString();
      if (/"level":(50|60)/.test(line)) errors.push(line.slice(0, 2000));
      done();
    },
  });

  /** Signs the super admin in by a real form post, keeping the session's cookies and CSRF token. */
  async function signIn(email: string): Promise<void> {
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
    cookie = [...jar.values()].join('; ');
    csrf = /name="_csrf" value="([^"]+)"/.exec(await account.text())?.[1] ?? '';
  }

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '100000' }, { logger: createLogger('error', collectErrors) });
    const admin = await makeUser(t.platform, { superAdmin: true });
    tenant = await makeTenant(t.platform);
    await addMember(t.platform, admin, tenant);
    t.platform.plans.setTenantOverrides(tenant.id, { features: Object.fromEntries(FEATURE_KEYS.map((k) => [k, true])) });
    token = personalToken(t.platform, admin);
    const { app } = createApp(t.platform);
    routes = declaredRoutes(app, t.platform);
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
    await signIn(admin.email);
    const created = await fetch(`http://127.0.0.1:${port}${API_PREFIX}/t/${tenant.slug}/items`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Sweep' }),
    });
    itemId = String(((await created.json()) as { data: { id: number } }).data.id);
    writes = {
      platform: watchWrites(path.join(t.dataDir, 'platform.sqlite')),
      tenant: watchWrites(tenantPaths(t.dataDir, tenant.id).database),
    };
  });

  afterAll(async () => {
    writes.platform.close();
    writes.tenant.close();
    await new Promise((resolve) => server.close(resolve));
    await t.cleanup();
  });

  it('enumerates the routes of every router and both tenant tables', () => {
    expect(routes.length).toBeGreaterThan(180);
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'post /t/:slug/items/:id/attachments',
        'patch /api/v1/t/:slug/items/:id',
        'post /admin/tenants/:tenant/purge',
        'post /account/password',
      ]),
    );
  });

  it('answers each with a refusal or a plain success: never a 500, a hang, a stack or SQL, nor a write behind a 4xx', async () => {
    const problems: string[] = [];
    let sent = 0;
    let logged = 0;
    // The export first (its cut-off request has the most time to go wrong while the rest runs), deletions next
    // to last (the item stays for the other routes), the session's end last (signing out answers any body).
    const rank = (r: Route) => (isHeavy(r) ? 0 : endsSession(r) ? 3 : r.path.endsWith('/delete') ? 2 : 1);
    const ordered = [...routes].sort((a, b) => rank(a) - rank(b));
    for (const [index, route] of ordered.entries()) {
      for (const variant of variantsOf(route, index)) {
        const platformMark = writes.platform.mark();
        const tenantMark = writes.tenant.mark();
        const answer = await send(port, variant.request);
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
    expect(sent).toBeGreaterThan(routes.length * 5);
    expect(problems).toEqual([]);
  }, 120_000);

  /** A route that takes no input and works for a second or more (a whole export): it gets only what is refused before its work. */
  function isHeavy(route: Route): boolean {
    return route.method === 'post' && route.path === '/t/:slug/export';
  }

  function endsSession(route: Route): boolean {
    return ['/logout', '/account/sessions/revoke', '/account/sessions/revoke-others', '/account/leave'].includes(route.path);
  }

  /** A value for each of the route's parameters: the workspace's slug, the item made, else an id no record has. */
  function fill(route: Route, override?: { name: string; value: string }): string {
    return route.path.replace(/:(\w+)/g, (_m, name: string) => {
      if (override?.name === name) return override.value;
      if (name === 'slug' && (route.path.startsWith('/t/') || route.path.startsWith(TENANT_API_PREFIX))) return tenant.slug;
      if (name === 'id' && /\/items\/:id/.test(route.path)) return itemId;
      return /id$/i.test(name) ? '999999' : 'no-such-thing';
    });
  }

  interface Variant {
    name: string;
    request: RawRequest;
  }

  const PATH_ESCAPES = ['%E0%A4%A', '%', '%00'];
  const BAD_IDS = ['99999999999999999999999999', '-1', '1.5', '1e3', '0x10', '1%20%20'];
  const QUERY_ESCAPES = ['q=%E0%A4%A', 'q=%', '%=1', 'q=%00', '%E0%A4%A=1'];
  const QUERY_SHAPES = ['limit=1&limit=2', 'status=a&status[]=b', 'filter[__proto__][x]=1', 'a[b][c]=1', 'cursor[]=x&cursor=y'];
  const HEADERS: Array<[string, Record<string, string>]> = [
    ['a huge Idempotency-Key', { 'Idempotency-Key': 'k'.repeat(8000) }],
    ['an Idempotency-Key with control characters', { 'Idempotency-Key': 'a\x01b\x7f' }],
    ['a garbage If-Match', { 'If-Match': '"x\\"; , W/' }],
    ['a 10 KB Accept-Language', { 'Accept-Language': 'fr-FR;q=0.9,'.repeat(850) }],
  ];
  const JSON_TYPE = { 'content-type': 'application/json' };
  const NOT_OBJECTS = ['[]', '"x"', 'null', '1'];
  const DEEP = [`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, `${'['.repeat(10_000)}${']'.repeat(10_000)}`];
  const BOUNDARY = 'sweepboundary';
  const MULTIPART = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
  const BROKEN_MULTIPART: Array<[string, string, Record<string, string>]> = [
    [
      'multipart without its closing boundary',
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG`,
      MULTIPART,
    ],
    ['multipart without a boundary', 'x', { 'content-type': 'multipart/form-data' }],
    ['multipart with a broken part header', `--${BOUNDARY}\r\nContent-Disposition: form-data; name=\r\n\r\nx\r\n--${BOUNDARY}--\r\n`, MULTIPART],
  ];
  const CUT_SHORT: Array<[string, string, Record<string, string>]> = [
    ['multipart cut short', `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na,b`, MULTIPART],
    ['JSON cut short', '{"title":"', JSON_TYPE],
    ['a form cut short', 'title=x&na', { 'content-type': 'application/x-www-form-urlencoded' }],
  ];

  /**
   * The route's hostile requests: every kind of hostile input, one value of each kind per route (per
   * parameter for the path's), the values taking turns from route to route so each reaches routes of every router.
   */
  function variantsOf(route: Route, turn: number): Variant[] {
    const pick = <T>(values: readonly T[], offset = 0): T => values[(turn + offset) % values.length];
    const isRest = route.path.startsWith(`${API_PREFIX}/t/`) || route.path.startsWith(`${API_PREFIX}/admin`) || route.path.startsWith(`${API_PREFIX}/me`);
    const auth: Record<string, string> = { cookie, 'x-csrf-token': csrf, ...(route.path.startsWith(API_PREFIX) ? bearer(token) : {}) };
    const method = route.method;
    const withBody = method === 'post' || method === 'patch';
    const fine = fill(route);
    const base = (name: string, over: Partial<RawRequest> = {}): Variant => ({
      name,
      request: {
        method,
        path: fine,
        ...over,
        headers: {
          ...auth,
          ...(withBody ? { 'content-type': isRest ? 'application/json' : 'application/x-www-form-urlencoded' } : {}),
          ...over.headers,
        },
        ...(withBody && over.body === undefined && over.claimedLength === undefined ? { body: isRest ? '{}' : '' } : {}),
      },
    });
    const variants: Variant[] = [];
    // Malformed escapes in the path: in each parameter, else at the end of the last segment.
    const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    if (!params.length) variants.push(base(`path ${pick(PATH_ESCAPES)}`, { path: `${fine.replace(/\/$/, '')}${pick(PATH_ESCAPES)}` }));
    for (const [i, name] of params.entries())
      variants.push(base(`:${name} ${pick(PATH_ESCAPES, i)}`, { path: fill(route, { name, value: pick(PATH_ESCAPES, i) }) }));
    const cutShort = CUT_SHORT.map(([name, body, headers]) => base(name, { body, headers, claimedLength: body.length + 1000 }));
    if (isHeavy(route)) return [...variants, ...cutShort];
    // Ids that are not ids.
    for (const [i, name] of params.filter((p) => p !== 'slug').entries())
      for (const offset of [0, 3])
        variants.push(base(`:${name}=${pick(BAD_IDS, i + offset)}`, { path: fill(route, { name, value: pick(BAD_IDS, i + offset) }) }));
    // Query strings: a malformed escape; a parameter twice, or in brackets.
    for (const query of [pick(QUERY_ESCAPES), pick(QUERY_SHAPES)]) variants.push(base(`?${query}`, { path: `${fine}?${query}` }));
    const [headerName, headers] = pick(HEADERS);
    variants.push(base(headerName, { headers }));
    if (!withBody) return variants;
    const body = pick(NOT_OBJECTS);
    variants.push(base(`JSON ${body}`, { body, headers: JSON_TYPE }));
    variants.push(base('JSON nested 10,000 deep', { body: pick(DEEP), headers: JSON_TYPE }));
    variants.push(
      base('JSON with __proto__ and constructor', {
        body: '{"__proto__":{"isSuperAdmin":true,"title":"x"},"constructor":{"prototype":{"role":"owner"}},"title":{"__proto__":{}},"name":["a",{"b":1}]}',
        headers: JSON_TYPE,
      }),
    );
    variants.push(base('JSON with a 2 MB string', { body: JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) }), headers: JSON_TYPE }));
    variants.push(
      pick([
        base('JSON sent as text/plain', { body: '{"title":"x","name":"x"}', headers: { 'content-type': 'text/plain' } }),
        isRest
          ? base('a urlencoded body to a JSON route', { body: 'title=x&name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
          : base('a JSON body to a form route', { body: '{"title":["x"],"name":{"a":1},"email":[],"role":null}', headers: JSON_TYPE }),
      ]),
    );
    variants.push(pick(cutShort));
    const uploads = /\/(attachments|logo|import(\/[\w.]+)?)$/.test(route.path);
    const multipart = BROKEN_MULTIPART.map(([name, text, type]) => base(name, { body: text, headers: type }));
    return [...variants, ...(uploads ? [...multipart, ...cutShort] : [pick(multipart)])];
  }
});
