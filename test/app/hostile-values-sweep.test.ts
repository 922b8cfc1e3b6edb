import { bearer } from '../support/api-tokens';
import type { Route } from '../support/declared-routes';
import type { RawRequest } from '../support/raw-http';
import { fillPath, isHeavy, isRest, startSweepTarget, sweep, type SweepTarget, type Variant } from '../support/hostile-sweep';
import { API_PREFIX } from '../../app/api-routes';
import { TEST_PASSWORD } from '../support/factories';

/** Every field name a form or a REST body of the app takes (the views' inputs and the API's bodies). */
const FIELDS = (
  'accent_color action actor allow_self_approval approvals_required body channel channels comment confirm confirmed current_password ' +
  'default_tenant_id description dir display_name email emails events expires_in_days force from ids key kinds language logo name ' +
  'new_password new_password_confirm next note on_duplicate on_invalid owner_email parent_role_id password password_confirm permissions ' +
  'plan publish_at q reason replacement_role_id return revision role_id scheduled_at scopes secret_name secret_value session slug sort ' +
  'status tag tags tenant tenant_id time_zone title to until url user value name_of limits features keys'
).split(' ');

/** A value no log line may ever show: sent in every password, token and secret field. */
const SECRET = 'Sweep-Secret-7f3a9c';

const form = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `${k}=${v}`).join('&');
const eachField = (value: (field: string) => string) => FIELDS.map((f) => [f, value(f)] as [string, string]);
const secretOr = (field: string, other: string) => (/password|secret|token|value/.test(field) ? SECRET : other);

/** Form bodies, urlencoded as written: repeated keys, prototype keys, bad bytes and escapes, too many fields. */
const FORMS: Array<[string, string]> = [
  [
    'every field twice',
    form(
      FIELDS.flatMap(
        (f) =>
          [
            [f, secretOr(f, 'a')],
            [f, 'b'],
          ] as Array<[string, string]>,
      ),
    ),
  ],
  [
    '__proto__, constructor and prototype as fields',
    form([['__proto__', 'x'], ['__proto__', 'y'], ['constructor', 'x'], ['prototype', 'x'], ...eachField((f) => secretOr(f, 'x'))]),
  ],
  ['invalid UTF-8 in every field', form(eachField(() => '%FF%FEa%C3'))],
  ['overlong escapes in every field', form(eachField(() => '%C0%AF%E0%80%AE..%2F'))],
  ['a NUL byte in every field', form(eachField((f) => `${secretOr(f, 'a')}%00b`))],
  ['raw bytes that are not UTF-8', `title=\xff\xfe&name=\xc3&email=a\x00b@example.com`],
  ['10,000 fields', Array.from({ length: 10_000 }, (_v, i) => `f${i}=1`).join('&')],
  ['a 90 KB value in every text field it fits', form(FIELDS.slice(0, 1).map((f) => [f, 'x'.repeat(90_000)]))],
  ['brackets in field names', form(eachField(() => 'x').map(([f, v]) => [`${f}[a]`, v]))],
];

/** JSON bodies with every field of the wrong type, or a string no database should keep. */
const JSON_BODIES: Array<[string, (field: string) => unknown]> = [
  ['a number in every field', () => 1e308],
  ['a boolean in every field', () => true],
  ['null in every field', () => null],
  ['an object in every field', () => JSON.parse('{"__proto__":{"admin":true},"toString":"x","length":1e9}') as unknown],
  ['a list in every field', (f) => [secretOr(f, 'a'), { b: 1 }]],
  ['a string with a NUL byte in every field', (f) => `${secretOr(f, 'a')}\u0000b`],
  ['a lone surrogate in every field', () => '\ud800x\udfff'],
  ['a number as text in every field', () => '1e3'],
];

const QUERIES = [
  FIELDS.map((f) => `${f}=a&${f}=b`).join('&'),
  `__proto__=1&constructor=1&prototype=1&__proto__[x]=1&password=${SECRET}&token=${SECRET}`,
  'q=%C0%AF&sort=%FF%FE&status=%E0%80%AE',
  `q=${'%00'.repeat(3)}&cursor=%ED%A0%80`,
  'limit=-0&limit=1e400',
];

/** Values for an id or a slug that no record has and that a path must never follow: dots, slashes, confusables, spaces. */
const SEGMENTS = ['.', '..', '%2E%2E', '..%2F..%2Fplatform.sqlite', 'a%2Fb', '%D1%95lug', '%EF%BC%91', '%20', '1%09', '%E2%80%8B1', 'A', 'x'.repeat(300)];

type OpenApi = { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>> };

describe('every declared route, sent hostile values in its fields, query and path', () => {
  let target: SweepTarget;
  const restFields = new Map<string, string[]>();

  beforeAll(async () => {
    target = await startSweepTarget('info');
    // The REST API refuses a field its operation does not take: each operation gets the fields it documents.
    const doc = (await (await fetch(`http://127.0.0.1:${target.port}${API_PREFIX}/openapi.json`, { headers: bearer(target.token) })).json()) as OpenApi;
    for (const [pattern, operations] of Object.entries(doc.paths))
      for (const [method, operation] of Object.entries(operations)) {
        const properties = operation.requestBody?.content?.['application/json']?.schema?.properties;
        if (properties) restFields.set(`${method} ${pattern.replace(/\{(\w+)\}/g, ':$1')}`, Object.keys(properties));
      }
  });

  afterAll(() => target.close());

  it('answers each with a refusal or a plain success: never a 500, a stack, a write behind a 4xx, nor a secret in the log', async () => {
    const { problems, sent } = await sweep(target, variantsOf);
    const secrets = [SECRET, TEST_PASSWORD, target.token, target.csrf, ...target.cookie.split('; ').map((c) => c.slice(c.indexOf('=') + 1))];
    const leaked = target.lines.filter((line) => secrets.some((secret) => line.includes(secret)));
    expect(sent).toBeGreaterThan(target.routes.length * 4);
    // The access log was read: one line a request.
    expect(target.lines.filter((line) => line.includes('request completed')).length).toBeGreaterThanOrEqual(sent);
    expect(problems).toEqual([]);
    expect(leaked.map((line) => line.slice(0, 300))).toEqual([]);
  }, 60_000);

  /** Each route gets one value of each kind, the values taking turns from route to route so each reaches routes of every router. */
  function variantsOf(route: Route, turn: number): Variant[] {
    const pick = <T>(values: readonly T[], offset = 0): T => values[(turn + offset) % values.length];
    const rest = isRest(route);
    const auth: Record<string, string> = {
      cookie: target.cookie,
      'x-csrf-token': target.csrf,
      ...(route.path.startsWith(API_PREFIX) ? bearer(target.token) : {}),
    };
    const withBody = route.method === 'post' || route.method === 'patch';
    const request = (over: Partial<RawRequest>): RawRequest => ({
      method: route.method,
      path: fillPath(target, route),
      ...over,
      headers: { ...auth, ...over.headers },
    });
    const variants: Variant[] = [];
    const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    if (params.length) {
      const name = pick(params);
      const value = pick(SEGMENTS);
      variants.push({ name: `:${name}=${value.slice(0, 30)}`, request: request({ path: fillPath(target, route, { name, value }) }) });
    }
    if (isHeavy(route)) return variants;
    const query = pick(QUERIES);
    variants.push({ name: `?${query.slice(0, 40)}`, request: request({ path: `${fillPath(target, route)}?${query}` }) });
    const formType = { 'content-type': 'application/x-www-form-urlencoded' };
    const jsonType = { 'content-type': 'application/json' };
    if (!withBody) {
      variants.push({
        name: 'a body on a GET',
        request: request({ body: pick([form(eachField(() => 'x')), '{"title":1}']), headers: pick([formType, jsonType]) }),
      });
      return variants;
    }
    const [jsonName, value] = pick(JSON_BODIES);
    const fields = rest ? (restFields.get(`${route.method} ${route.path}`) ?? []) : FIELDS;
    const json = `{${fields.map((f) => `${JSON.stringify(f)}:${JSON.stringify(value(f))}`).join(',')}}`;
    variants.push({ name: `JSON: ${jsonName}`, request: request({ body: json, headers: jsonType }) });
    if (!rest) {
      for (const offset of [0, 4]) {
        const [formName, body] = pick(FORMS, offset);
        variants.push({ name: `form: ${formName}`, request: request({ body, headers: formType }) });
      }
    } else variants.push({ name: 'JSON as a form', request: request({ body: form(eachField((f) => secretOr(f, 'x'))), headers: formType }) });
    variants.push(
      pick([
        { name: 'an empty JSON body', request: request({ body: '', headers: jsonType }) },
        {
          name: 'a form in Latin-1',
          request: request({ body: 'title=%E9', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=latin1' } }),
        },
        { name: 'a gzip body that is not gzip', request: request({ body: '{"title":"x"}', headers: { ...jsonType, 'content-encoding': 'gzip' } }) },
        { name: 'JSON with a byte-order mark', request: request({ body: '\ufeff{"title":"x"}', headers: jsonType }) },
      ]),
    );
    return variants;
  }
});
