import { API_PREFIX } from '../../app/api-routes';
import type { Route } from '../support/declared-routes';
import { bearer } from '../support/api-tokens';
import type { RawRequest } from '../support/raw-http';
import { fillPath, isHeavy, isRest as restRoute, startSweepTarget, sweep, type SweepTarget, type Variant } from '../support/hostile-sweep';

describe('every declared route, sent hostile input', () => {
  let target: SweepTarget;
  let token = '';
  let cookie = '';
  let csrf = '';
  let routes: Route[];

  beforeAll(async () => {
    target = await startSweepTarget();
    ({ token, cookie, csrf, routes } = target);
  });

  afterAll(() => target.close());

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
    const { problems, sent } = await sweep(target, variantsOf);
    expect(sent).toBeGreaterThan(routes.length * 5);
    expect(problems).toEqual([]);
  }, 120_000);

  const fill = (route: Route, override?: { name: string; value: string }) => fillPath(target, route, override);

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
    const isRest = restRoute(route);
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
