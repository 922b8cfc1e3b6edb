import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { makeItem } from '../../support/content';
import { bearer, personalToken } from '../../support/api-tokens';
import { signIn } from '../../support/http-agent';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

interface ProblemSchema {
  properties: Record<string, unknown>;
  required: string[];
  additionalProperties?: boolean;
}

/**
 * The API as a developer outside sees it: what the OpenAPI document and /docs/api promise,
 * checked against what the server really answers.
 */
describe('the REST API against its own documentation', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let token: string;
  let rootToken: string;
  let owner: UserRecord;

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '400' });
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    owner = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    token = personalToken(t.platform, owner);
    const root = await makeUser(t.platform, { superAdmin: true });
    rootToken = personalToken(t.platform, root, { scopes: ['admin.tenants', 'admin.users'] });
  });
  afterAll(() => t.cleanup());

  it("answers every error with a problem document whose fields the document's Problem schema names and whose code /docs/api explains", async () => {
    const problem = (await request(app).get('/api/v1/openapi.json')).body.components.schemas.Problem as ProblemSchema;
    const docs = (await request(app).get('/docs/api')).text;
    const item = await makeItem(t.platform, acme);
    const answers: request.Response[] = [];

    // A plan limit (limit, used, max) and a suspended workspace (notice) carry fields of their own.
    const limited = await makeTenant(t.platform, 'limited');
    const limitedOwner = await makeUser(t.platform);
    await addMember(t.platform, limitedOwner, limited, 'owner');
    t.platform.plans.setTenantOverrides(limited.id, { limits: { items: 0 } });
    const limitedToken = personalToken(t.platform, limitedOwner);
    answers.push(await request(app).post('/api/v1/t/limited/items').set(bearer(limitedToken)).send({ title: 'One too many' }));
    await request(app).post(`/api/v1/admin/tenants/${limited.id}/suspend`).set(bearer(rootToken)).send({ reason: 'Invoice unpaid', until: '2031-01-01' });
    const suspended = await request(app).get('/api/v1/t/limited/items').set(bearer(limitedToken));
    // Its end is an ISO 8601 instant like every other time the API gives, its fields in snake_case.
    expect(suspended.body.notice).toEqual({
      state: 'suspended',
      tenant_name: 'limited',
      reason: 'Invoice unpaid',
      until: '2031-01-01T00:00:00.000Z',
      contacts: [],
    });
    answers.push(suspended);

    // A signed-in session's POST without its CSRF token.
    answers.push(await (await signIn(app, owner.email)).post('/api/v1/t/acme/items').send({ title: 'No CSRF token' }));

    const api = (method: 'get' | 'post' | 'patch', path: string) => request(app)[method](`/api/v1/t/acme${path}`).set(bearer(token));
    answers.push(
      await api('post', '/items').send({ title: '' }),
      await api('post', '/items').set('Content-Type', 'application/json').send('{"title": '),
      await api('post', '/items').set('Content-Type', 'text/plain').send('title'),
      await api('post', '/items').send({ title: 'x', body: 'a'.repeat(200_000) }),
      await api('get', '/items/%E0%A4%A'),
      await api('get', '/items/999999'),
      await api('patch', `/items/${item.id}`).send({ title: 'Stale', revision: 99 }),
      await api('post', `/items/${item.id}/publish`),
      await api('get', '/files/f0000000000000000000000000').set('Range', 'bytes=5-2'),
      await request(app).get('/api/v1/t/acme/items').set(bearer('tnt_nope')),
      await request(app).get('/api/v1/t/acme/items'),
      await request(app)
        .post('/api/v1/t/acme/items')
        .set(bearer(personalToken(t.platform, owner, { scopes: ['content.view'] })))
        .send({ title: 'Beyond its scopes' }),
    );
    await api('post', '/items').set('Idempotency-Key', 'contract-1').send({ title: 'First' });
    answers.push(await api('post', '/items').set('Idempotency-Key', 'contract-1').send({ title: 'Second' }));

    const codes = new Set<string>();
    for (const res of answers) {
      const where = `${res.body.instance} -> ${res.status} ${res.body.code}`;
      expect({ where, type: res.type }).toEqual({ where, type: 'application/problem+json' });
      const undocumented = Object.keys(res.body).filter((field) => !(field in problem.properties));
      expect({ where, undocumented }).toEqual({ where, undocumented: [] });
      expect({ where, missing: problem.required.filter((field) => !(field in res.body)) }).toEqual({ where, missing: [] });
      expect({ where, explained: docs.includes(`id="problem-${res.body.code}"`) }).toEqual({ where, explained: true });
      codes.add(res.body.code);
    }
    // Each case above really reached the answer it was meant to.
    expect([...codes].sort()).toEqual(
      [
        'bad_request',
        'conflict',
        'csrf_invalid',
        'idempotency_key_reused',
        'invalid_token',
        'limit_reached',
        'not_found',
        'payload_too_large',
        'revision_conflict',
        'tenant_suspended',
        'unauthenticated',
        'unsupported_media_type',
        'validation_failed',
        'forbidden',
      ].sort(),
    );
  });

  it('answers a known address asked with another method with 405 and the Allow header, whoever asks and whatever the id, changing nothing', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Kept' });
    const before = (await request(app).get(`/api/v1/t/acme/items/${item.id}`).set(bearer(token))).body;
    for (const [method, path, allow] of [
      ['delete', `/api/v1/t/acme/items/${item.id}`, 'GET, HEAD, PATCH'],
      ['put', `/api/v1/t/acme/items/${item.id}`, 'GET, HEAD, PATCH'],
      ['delete', '/api/v1/t/acme/items', 'GET, HEAD, POST'],
      ['get', `/api/v1/t/acme/items/${item.id}/submit`, 'POST'],
      ['put', '/api/v1/t/acme/settings', 'GET, HEAD, PATCH'],
      ['post', '/api/v1/me', 'GET, HEAD'],
      ['delete', '/api/v1/admin/tenants', 'GET, HEAD, POST'],
      // Another workspace, or one that does not exist: the same answer, from the route table alone.
      ['delete', '/api/v1/t/nowhere/items/1', 'GET, HEAD, PATCH'],
    ] as const) {
      const res = await request(app)[method](path).set(bearer(token)).send({ title: 'Changed' });
      expect({ method, path, status: res.status, allow: res.headers.allow, type: res.type, code: res.body.code }).toEqual({
        method,
        path,
        status: 405,
        allow,
        type: 'application/problem+json',
        code: 'method_not_allowed',
      });
    }
    expect((await request(app).get(`/api/v1/t/acme/items/${item.id}`).set(bearer(token))).body).toEqual(before);
    const options = await request(app).options('/api/v1/t/acme/items').set(bearer(token));
    expect({ status: options.status, allow: options.headers.allow }).toEqual({ status: 204, allow: 'GET, HEAD, POST' });
    expect((await request(app).get('/docs/api')).text).toContain('id="problem-method_not_allowed"');
  });

  it('answers an address the API does not have with a 404, never a sign-in prompt to a valid token', async () => {
    for (const path of ['/api/v1/t', '/api/v1/admin', '/api/v1/t/acme/nothing']) {
      const res = await request(app).get(path).set(bearer(token));
      expect({ path, status: res.status, type: res.type, code: res.body.code }).toEqual({
        path,
        status: 404,
        type: 'application/problem+json',
        code: 'not_found',
      });
    }
    // Outside the REST paths, in the context API's JSON.
    for (const path of ['/api/v1/nothing', '/api/v1/item']) {
      const res = await request(app).get(path).set(bearer(token));
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 404, body: { error: { code: 'not_found', message: 'Not found' } } });
    }
    // The routers match paths in any case; the token is read in any case too.
    expect((await request(app).get('/API/V1/T/acme/items').set(bearer(token))).status).toBe(200);
    // The context API keeps its own answers: a session only, 401 without one.
    expect((await request(app).get('/api/v1/context')).body).toEqual({ error: { code: 'unauthenticated', message: 'Please sign in.' } });
  });

  it('refuses a list parameter it does not take, or one given twice, with 400 naming it, instead of answering the first page again', async () => {
    const errors = async (url: string, as = token) => {
      const res = await request(app).get(url).set(bearer(as));
      expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 400, code: 'validation_failed' });
      return res.body.errors;
    };
    expect(await errors('/api/v1/t/acme/items?page=2')).toEqual([
      { field: 'page', message: 'is not a parameter of this list (it takes status, channel, tag, q, limit, cursor)' },
    ]);
    expect((await errors('/api/v1/t/acme/items?sort=title&limit=2')).map((e: { field: string }) => e.field)).toEqual(['sort']);
    expect(await errors('/api/v1/t/acme/items?status=draft&status=approved')).toEqual([{ field: 'status', message: 'may be given once' }]);
    expect(await errors('/api/v1/t/acme/items?limit=1&limit=2')).toEqual([{ field: 'limit', message: 'may be given once' }]);
    for (const limit of ['0', '-1', '101', '1e9', 'abc', '1.5', ''])
      expect(await errors(`/api/v1/t/acme/items?limit=${limit}`)).toEqual([{ field: 'limit', message: 'must be 1-100' }]);
    expect((await errors('/api/v1/admin/users?page=1&page=2', rootToken)).map((e: { field: string }) => e.field)).toEqual(['page']);
    expect((await errors('/api/v1/admin/users?limit=10', rootToken)).map((e: { field: string }) => e.field)).toEqual(['limit']);
    // The lists that take no parameter refuse one too.
    for (const list of ['roles', 'usage'])
      expect(await errors(`/api/v1/t/acme/${list}?page=2`)).toEqual([{ field: 'page', message: 'is not a parameter of this list (it takes none)' }]);
    // What the lists do take still works.
    expect((await request(app).get('/api/v1/t/acme/items?status=draft&limit=1').set(bearer(token))).status).toBe(200);
    expect((await request(app).get('/api/v1/admin/users?q=example&status=active&page=1').set(bearer(rootToken))).status).toBe(200);
    for (const list of ['roles', 'usage']) expect((await request(app).get(`/api/v1/t/acme/${list}`).set(bearer(token))).status).toBe(200);
  });

  it('refuses a body field it does not take (a typo) with 400 naming it, on every route whose document declares a JSON body, and the document says so', async () => {
    const document = (await request(app).get('/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { additionalProperties?: boolean } }> } }>>;
    };
    const target = await makeTenant(t.platform, 'target');
    const item = await makeItem(t.platform, acme, { title: 'Kept' });
    const someone = await makeUser(t.platform);
    const sent: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!/^\/api\/v1\/(t|admin|me)\//.test(path)) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const json = operation.requestBody?.content['application/json'];
        if (!json) continue;
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, additionalProperties: json.schema.additionalProperties }).toEqual({ where, additionalProperties: false });
        const id = path.startsWith('/api/v1/admin/users/') ? someone.id : path.startsWith('/api/v1/admin/') ? target.slug : String(item.id);
        const url = path.replace('{slug}', 'acme').replace('{id}', id);
        const as = path.startsWith('/api/v1/admin/') ? rootToken : token;
        const res = await request(app)[method as 'post' | 'patch'](url).set(bearer(as)).send({ titel: 'A typo' });
        expect({ where, status: res.status, code: res.body.code }).toEqual({ where, status: 400, code: 'validation_failed' });
        expect({ where, errors: res.body.errors }).toEqual({
          where,
          errors: expect.arrayContaining([{ field: 'titel', message: expect.stringMatching(/^is not a field of this request \(it takes .+\)$/) }]),
        });
        sent.push(where);
      }
    }
    expect(sent).toEqual(
      expect.arrayContaining([
        'PATCH /api/v1/t/{slug}/items/{id}',
        'POST /api/v1/admin/tenants/{id}/suspend',
        'POST /api/v1/admin/users/{id}/disable',
        'POST /api/v1/t/{slug}/invitations',
      ]),
    );
    // Nothing was changed by any of them.
    const kept = await request(app).get(`/api/v1/t/acme/items/${item.id}`).set(bearer(token));
    expect(kept.body.data).toMatchObject({ title: 'Kept', status: 'draft', revision: 1 });
    expect(t.platform.tenants.findBySlug('target')?.status).toBe('active');
    expect(t.platform.users.findById(someone.id)?.status).toBe('active');
    // With the fields it takes, named in the answer; a known field next to an unknown one changes nothing either.
    const typo = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).send({ titel: 'New' });
    expect(typo.body.errors).toContainEqual({ field: 'titel', message: 'is not a field of this request (it takes title, body, channel, tags, scheduled_at)' });
    const mixed = await request(app)
      .patch(`/api/v1/t/acme/items/${item.id}`)
      .set(bearer(token))
      .send({ title: 'Changed', a: { b: 1 } });
    expect({ status: mixed.status, errors: mixed.body.errors }).toEqual({
      status: 400,
      errors: [{ field: 'a', message: 'is not a field of this request (it takes revision, title, body, channel, tags, scheduled_at)' }],
    });
    expect((await request(app).get(`/api/v1/t/acme/items/${item.id}`).set(bearer(token))).body.data.title).toBe('Kept');
  });

  it('refuses a query parameter on every route whose document declares no query, naming it (it takes none), and changes nothing', async () => {
    type Operation = { parameters?: Array<{ in: string }> };
    const document = (await request(app).get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const target = await makeTenant(t.platform, 'queryless');
    const item = await makeItem(t.platform, acme, { title: 'Untouched' });
    const sent: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!/^\/api\/v1\/(t\/|admin\/|me$|openapi\.json$)/.test(path)) continue;
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.parameters?.some((p) => p.in === 'query')) continue;
        const where = `${method.toUpperCase()} ${path}`;
        const id = path.startsWith('/api/v1/admin/') ? target.slug : String(item.id);
        const url = path.replace('{slug}', 'acme').replace('{id}', id).replace('{fileId}', 'f0000000000000000000000000').replace('{name}', 'SOME_KEY');
        const as = path.startsWith('/api/v1/admin/') ? rootToken : token;
        const res = await request(app)[method as 'post'](`${url}?title=Changed&force=1`).set(bearer(as));
        expect({ where, status: res.status, code: res.body.code, errors: res.body.errors }).toEqual({
          where,
          status: 400,
          code: 'validation_failed',
          // A list that takes none (roles, secrets) names it as its own.
          errors: [
            { field: 'title', message: expect.stringMatching(/^is not a parameter of this (request|list) \(it takes none\)$/) },
            { field: 'force', message: expect.stringMatching(/^is not a parameter of this (request|list) \(it takes none\)$/) },
          ],
        });
        sent.push(where);
      }
    }
    expect(sent).toEqual(
      expect.arrayContaining(['GET /api/v1/t/{slug}/settings', 'PATCH /api/v1/t/{slug}/settings', 'GET /api/v1/t/{slug}/items/{id}', 'GET /api/v1/me']),
    );
    expect((await request(app).get(`/api/v1/t/acme/items/${item.id}`).set(bearer(token))).body.data).toMatchObject({ title: 'Untouched', revision: 1 });
    expect(t.platform.tenants.findBySlug('queryless')?.status).toBe('active');
    // A list still names a parameter it does not take as its own, and reads those it takes.
    expect((await request(app).get('/api/v1/t/acme/items?limit=1').set(bearer(token))).status).toBe(200);
    expect((await request(app).get('/api/v1/t/acme/roles?page=2').set(bearer(token))).body.errors).toEqual([
      { field: 'page', message: 'is not a parameter of this list (it takes none)' },
    ]);
  });

  it('refuses a body with fields on every route whose document declares no body, naming each field (it takes none), and changes nothing', async () => {
    const document = (await request(app).get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    const target = await makeTenant(t.platform, 'bodiless');
    const item = await makeItem(t.platform, acme, { title: 'Still here' });
    const roles = (await request(app).get('/api/v1/t/acme/roles').set(bearer(token))).body.data as Array<{ id: number; key: string }>;
    const invited = await request(app)
      .post('/api/v1/t/acme/invitations')
      .set(bearer(token))
      .send({ emails: ['bodiless@acme.test'], role_id: roles.find((r) => r.key !== 'owner')?.id });
    const invitation = invited.body.data[0].id as string;
    const sent: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      // The REST paths; the session context API (its own errors) is left to its routes.
      if (!/^\/api\/v1\/(t\/|admin\/|me$|openapi\.json$)/.test(path)) continue;
      for (const [method, operation] of Object.entries(operations)) {
        // A GET's content has no meaning in HTTP (RFC 9110): it is never read, as the pages never read one.
        if (operation.requestBody || method === 'get') continue;
        const where = `${method.toUpperCase()} ${path}`;
        const id = path.includes('/invitations/') ? invitation : path.startsWith('/api/v1/admin/') ? target.slug : String(item.id);
        const url = path.replace('{slug}', 'acme').replace('{id}', id).replace('{fileId}', 'f0000000000000000000000000');
        const as = path.startsWith('/api/v1/admin/') ? rootToken : token;
        const res = await request(app)[method as 'post'](url).set(bearer(as)).send({ revision: 99, force: true });
        expect({ where, status: res.status, code: res.body.code, errors: res.body.errors }).toEqual({
          where,
          status: 400,
          code: 'validation_failed',
          errors: [
            { field: 'revision', message: 'is not a field of this request (it takes none)' },
            { field: 'force', message: 'is not a field of this request (it takes none)' },
          ],
        });
        sent.push(where);
      }
    }
    expect(sent).toEqual(
      expect.arrayContaining([
        'POST /api/v1/t/{slug}/invitations/{id}/revoke',
        'POST /api/v1/admin/tenants/{id}/resume',
        'POST /api/v1/admin/tenants/{id}/backups',
      ]),
    );
    // Nothing was revoked, resumed or restored.
    expect((await request(app).get(`/api/v1/t/acme/items/${item.id}`).set(bearer(token))).body.data).toMatchObject({ title: 'Still here', revision: 1 });
    const pending = await request(app).get('/api/v1/t/acme/invitations').set(bearer(token));
    expect(pending.body.data.map((i: { id: string }) => i.id)).toContain(invitation);
    expect(t.platform.tenants.findBySlug('bodiless')?.status).toBe('active');
    // No body, or an empty one, is still the request it always was; so is a body field on a route that takes one.
    expect((await request(app).get('/api/v1/t/acme/items').set(bearer(token)).send({})).status).toBe(200);
    expect((await request(app).post(`/api/v1/t/acme/invitations/${invitation}/revoke`).set(bearer(token)).send({})).status).toBe(200);
    expect((await request(app).post(`/api/v1/t/acme/items/${item.id}/delete`).set(bearer(token))).status).toBe(200);
    expect((await request(app).post(`/api/v1/t/acme/items/${item.id}/submit`).set(bearer(token)).send({ note: 'x' })).status).toBe(404);
  });

  it('pages items through a cursor that neither repeats nor skips one when items are added meanwhile, and ends with an empty last page', async () => {
    const paged = await makeTenant(t.platform, 'paged');
    await addMember(t.platform, owner, paged, 'owner');
    for (let i = 1; i <= 5; i++) await makeItem(t.platform, paged, { title: `Old ${i}` });
    const page = (cursor?: string) =>
      request(app)
        .get(`/api/v1/t/paged/items?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(bearer(token));
    const seen: string[] = [];
    let res = await page();
    seen.push(...res.body.data.map((i: { title: string }) => i.title));
    // Items made between pages come first on a new listing, never inside this one.
    for (let i = 1; i <= 3; i++) await makeItem(t.platform, paged, { title: `New ${i}` });
    while (res.body.next_cursor) {
      res = await page(res.body.next_cursor);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((i: { title: string }) => i.title));
    }
    expect(seen).toEqual(['Old 5', 'Old 4', 'Old 3', 'Old 2', 'Old 1']);
    // A cursor at the oldest item (a page past the end) is an empty page, not an error.
    const oldest = await request(app).get('/api/v1/t/paged/items?limit=100').set(bearer(token));
    const lastId = oldest.body.data[oldest.body.data.length - 1].id;
    const past = await page(Buffer.from(`i${lastId}`).toString('base64url'));
    expect(past.body).toEqual({ data: [], next_cursor: null });
  });

  it("never replays one client's answer to another: the same key and body from another member, another workspace or a session is a request of its own", async () => {
    const beta = await makeTenant(t.platform, 'beta-keys');
    await addMember(t.platform, owner, beta, 'owner');
    const colleague = await makeUser(t.platform);
    await addMember(t.platform, colleague, acme, 'editor');
    const send = (slug: string, as: string) =>
      request(app).post(`/api/v1/t/${slug}/items`).set(bearer(as)).set('Idempotency-Key', 'shared-key').send({ title: 'Same body' });
    const first = await send('acme', token);
    expect(first.status).toBe(201);
    for (const [label, res] of [
      ['another member', await send('acme', personalToken(t.platform, colleague))],
      ['another workspace, same token', await send('beta-keys', token)],
    ] as const) {
      expect({ label, status: res.status, replayed: res.headers['idempotent-replayed'] }).toEqual({ label, status: 201, replayed: undefined });
      expect(res.body.data.id === first.body.data.id && res.body.data.created_by === first.body.data.created_by).toBe(false);
    }
    const agent = await signIn(app, owner.email);
    const csrf = (await agent.get('/api/v1/context')).headers['x-csrf-token'] as string;
    const bySession = await agent.post('/api/v1/t/acme/items').set('x-csrf-token', csrf).set('Idempotency-Key', 'shared-key').send({ title: 'Same body' });
    expect({ status: bySession.status, replayed: bySession.headers['idempotent-replayed'] }).toEqual({ status: 201, replayed: undefined });
    expect(bySession.body.data.id).not.toBe(first.body.data.id);
    // The first client still gets its own answer back.
    const again = await send('acme', token);
    expect({ status: again.status, replayed: again.headers['idempotent-replayed'], body: again.body }).toEqual({
      status: 201,
      replayed: 'true',
      body: first.body,
    });
  });

  it('takes back every time it gives: one whose offset takes it past the year 9999 (or before 0000) in UTC is refused, naming the field', async () => {
    for (const when of ['9999-12-31T23:59:59-23:59', '0000-01-01T00:00:00+23:59']) {
      const res = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).send({ title: 'Far away', scheduled_at: when });
      expect({ when, status: res.status, errors: res.body.errors }).toEqual({
        when,
        status: 400,
        errors: [{ field: 'scheduled_at', message: 'must fall within the years 0000-9999 in UTC' }],
      });
    }
    const edge = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).send({ title: 'Edge', scheduled_at: '9999-12-31T23:59:59Z' });
    expect(edge.body.data.scheduled_at).toBe('9999-12-31T23:59:59.000Z');
    const back = await request(app).patch(`/api/v1/t/acme/items/${edge.body.data.id}`).set(bearer(token)).send({ scheduled_at: edge.body.data.scheduled_at });
    expect(back.status).toBe(200);
  });

  it('names a role id too large to be a whole number in words, as it names a fraction', async () => {
    for (const role_id of [1e20, 1.5]) {
      const res = await request(app)
        .post('/api/v1/t/acme/invitations')
        .set(bearer(token))
        .send({ emails: ['big@acme.test'], role_id });
      expect({ role_id, errors: res.body.errors }).toEqual({ role_id, errors: [{ field: 'role_id', message: 'must be a role id (a whole number)' }] });
    }
  });
});
