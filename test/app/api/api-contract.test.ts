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
      ['patch', '/api/v1/t/acme/settings', 'GET, HEAD'],
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
});
