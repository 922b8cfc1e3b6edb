import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { auditOf } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { createPlan } from '../../../control-plane/plans/manage-plans';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** A tenant's plan and limits through the super-admin API (/api/v1/admin/tenants/:id/plan, /overrides). */
describe("the super-admin API's plan and limits of a tenant", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let root: UserRecord;
  let token: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    root = await makeUser(t.platform, { superAdmin: true });
    token = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
    createPlan(t.platform, CLI_OPERATOR, { key: 'starter', name: 'Starter', limit_items: '5', limit_members: '3', feature_csv: 'off' }, 'partial');
  });
  afterAll(() => t.cleanup());

  const fresh = () => makeTenant(t.platform, `plan${++n}`);
  const get = (id: string, as = token) => request(app).get(`/api/v1/admin/tenants/${id}/plan`).set(bearer(as));
  const post = (path: string, body?: object, as = token) => {
    const req = request(app).post(`/api/v1/admin/tenants/${path}`).set(bearer(as));
    return body === undefined ? req : req.send(body);
  };
  /** What a refusal must leave as it was: the tenant's plan and overrides, and the audit trail of plan changes. */
  const state = (tenant: TenantRecord) => ({
    row: t.platform.db.get('select plan_id, limit_overrides_json, feature_overrides_json from tenants where id = ?', [tenant.id]),
    audit: [...auditOf(t.platform, 'tenant.plan'), ...auditOf(t.platform, 'tenant.overrides')].filter((r) => r.tenant_id === tenant.id),
  });
  const fields = (res: request.Response) => res.body.errors?.map((e: { field: string }) => e.field);

  it("reads a tenant's plan, the limits and features in effect and its overrides, by slug or id", async () => {
    const tenant = await fresh();
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { storage_bytes: 2048 }, features: { api: false } });
    for (const id of [tenant.slug, tenant.id]) {
      const res = await get(id);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        plan: { key: 'default' },
        limits: { storage_bytes: 2048, members: null },
        features: { api: false, csv: true },
        overrides: { limits: { storage_bytes: 2048 }, features: { api: false } },
      });
    }
    for (const id of ['nobody', 't000000000000000000000000']) expect((await get(id)).status).toBe(404);
  });

  it('answers 404 for a purged tenant, whose console page shows no plan either, and changes nothing', async () => {
    const tenant = await fresh();
    expect((await post(`${tenant.slug}/archive`, { confirm: tenant.slug })).status).toBe(200);
    expect((await post(`${tenant.slug}/purge`, { confirm: tenant.slug })).status).toBe(200);
    const before = state(tenant);
    expect((await get(tenant.id)).status).toBe(404);
    expect((await post(`${tenant.id}/plan`, { plan: 'starter' })).status).toBe(404);
    expect((await post(`${tenant.id}/overrides`, { limits: { items: 1 } })).status).toBe(404);
    expect((await post(`${tenant.id}/overrides/clear`)).status).toBe(404);
    expect(state(tenant)).toEqual(before);
  });

  it('puts a tenant on a plan, keeping its overrides, audited as the console does; it applies from the next request', async () => {
    const tenant = await fresh();
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items: 9 } });
    const res = await post(`${tenant.slug}/plan`, { plan: 'starter' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ plan: { key: 'starter', name: 'Starter' }, limits: { items: 9, members: 3 }, features: { csv: false } });
    expect(t.platform.planBook.entitlementsOf(tenant.id).plan.key).toBe('starter');
    const audit = auditOf(t.platform, 'tenant.plan').filter((r) => r.tenant_id === tenant.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: root.id, target_id: tenant.id });
    expect(JSON.parse(audit[0].before ?? '{}')).toEqual({ plan: 'default' });
    expect(JSON.parse(audit[0].after ?? '{}')).toEqual({ plan: 'starter' });
  });

  it('refuses a plan that does not exist, a missing plan or a field it does not take with 400 naming it, changing nothing', async () => {
    const tenant = await fresh();
    const before = state(tenant);
    for (const [body, field] of [
      [{ plan: 'platinum' }, 'plan'],
      [{}, 'plan'],
      [{ plan: 42 }, 'plan'],
      [{ plan: 'starter', limits: { items: 1 } }, 'limits'],
    ] as const) {
      const res = await post(`${tenant.slug}/plan`, body);
      expect({ body, status: res.status, fields: fields(res) }).toEqual({ body, status: 400, fields: [field] });
    }
    expect((await post(`${tenant.slug}/plan`, { plan: 'platinum' })).body.errors).toEqual([{ field: 'plan', message: 'must be one of the plans offered' }]);
    expect(state(tenant)).toEqual(before);
  });

  it('sets the overrides given and keeps the others, as the CLI does, audited with before and after; a limit applies from the next request', async () => {
    const tenant = await fresh();
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, tenant, 'owner');
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { members: 7 } });
    const res = await post(`${tenant.slug}/overrides`, { limits: { items: 0, storage_bytes: null }, features: { csv: false } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      limits: { members: 7, items: 0, storage_bytes: null },
      features: { csv: false },
      overrides: { limits: { members: 7, items: 0, storage_bytes: null }, features: { csv: false } },
    });
    const audit = auditOf(t.platform, 'tenant.overrides').filter((r) => r.tenant_id === tenant.id);
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_user_id).toBe(root.id);
    expect(JSON.parse(audit[0].before ?? '{}')).toEqual({ limits: { members: 7 }, features: {} });
    expect(JSON.parse(audit[0].after ?? '{}')).toEqual({ limits: { members: 7, items: 0, storage_bytes: null }, features: { csv: false } });

    const refused = await request(app)
      .post(`/api/v1/t/${tenant.slug}/items`)
      .set(bearer(personalToken(t.platform, owner)))
      .send({ title: 'Over the new limit' });
    expect(refused.body).toMatchObject({ code: 'limit_reached', limit: 'items', max: 0 });
  });

  it('refuses an unknown limit or feature, a value of the wrong kind or a field it does not take with 400 naming it, changing nothing', async () => {
    const tenant = await fresh();
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { members: 7 } });
    const before = state(tenant);
    for (const [body, named] of [
      [{ limits: { seats: 3 } }, ['limits.seats']],
      [{ features: { chat: true } }, ['features.chat']],
      [{ limits: { items: -1 } }, ['limits.items']],
      [{ limits: { items: 1.5 } }, ['limits.items']],
      [{ limits: { storage_bytes: '2GB' } }, ['limits.storage_bytes']],
      [{ features: { api: 'on' } }, ['features.api']],
      // A valid change beside a refused one is not made either.
      [{ limits: { items: 3 }, features: { api: 'off' } }, ['features.api']],
      [{ limit_items: '3' }, ['limit_items']],
    ] as const) {
      const res = await post(`${tenant.slug}/overrides`, body);
      expect({ body, status: res.status, fields: fields(res) }).toEqual({ body, status: 400, fields: named });
    }
    const wrong = await post(`${tenant.slug}/overrides`, { limits: { items: -1 }, features: { api: 'on' } });
    expect(wrong.body.errors).toEqual([
      { field: 'limits.items', message: 'must be a whole number from 0, or null for unlimited' },
      { field: 'features.api', message: 'must be true or false' },
    ]);
    expect(state(tenant)).toEqual(before);
  });

  it('clears the overrides named, or all of them, and refuses an unknown key with 400 on keys, changing nothing', async () => {
    const tenant = await fresh();
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { members: 7, items: 4 }, features: { api: false } });
    const before = state(tenant);
    for (const body of [{ keys: ['items', 'seats'] }, { keys: 'items' }, { key: ['items'] }]) {
      const res = await post(`${tenant.slug}/overrides/clear`, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect(fields(await post(`${tenant.slug}/overrides/clear`, { keys: ['items', 'seats'] }))).toEqual(['keys']);
    expect(state(tenant)).toEqual(before);

    const some = await post(`${tenant.slug}/overrides/clear`, { keys: ['items', 'api'] });
    expect(some.status).toBe(200);
    expect(some.body.data.overrides).toEqual({ limits: { members: 7 }, features: {} });
    expect(some.body.data.features.api).toBe(true);
    const all = await post(`${tenant.slug}/overrides/clear`);
    expect(all.status).toBe(200);
    expect(all.body.data.overrides).toEqual({ limits: {}, features: {} });
    expect(auditOf(t.platform, 'tenant.overrides').filter((r) => r.tenant_id === tenant.id)).toHaveLength(2);
  });

  it('answers a change that changes nothing (the plan it is on, no override, the values it has, nothing to clear) and records none', async () => {
    const tenant = await fresh();
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { members: 7, storage_bytes: null }, features: { csv: false } });
    const before = state(tenant);
    for (const [path, body] of [
      ['plan', { plan: 'default' }],
      ['overrides', {}],
      ['overrides', { limits: { storage_bytes: null, members: 7 }, features: { csv: false } }],
      ['overrides/clear', { keys: ['items'] }],
    ] as const) {
      const res = await post(`${tenant.slug}/${path}`, body);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.body.data).toMatchObject({ plan: { key: 'default' }, overrides: { limits: { members: 7, storage_bytes: null }, features: { csv: false } } });
    }
    expect(state(tenant)).toEqual(before);
    expect((await post(`${tenant.slug}/overrides/clear`)).status).toBe(200);
    expect(state(tenant).audit).toHaveLength(1);
  });

  it('refuses a change sent with a revision the tenant is no longer at (409 naming the current one), changing nothing; one sent with the current revision is made', async () => {
    const tenant = await fresh();
    const read = (await get(tenant.slug)).body.data.revision as number;
    expect(read).toEqual(expect.any(Number));
    // Meanwhile an operator saves the tenant's form in the console.
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { members: 7 } });
    const before = state(tenant);
    for (const [path, body] of [
      ['overrides', { limits: { items: 2 }, revision: read }],
      ['plan', { plan: 'starter', revision: read }],
    ] as const) {
      const res = await post(`${tenant.slug}/${path}`, body);
      expect({ path, status: res.status, code: res.body.code, current: res.body.current_revision }).toEqual({
        path,
        status: 409,
        code: 'revision_conflict',
        current: t.platform.plans.tenantPlan(tenant.id)?.revision,
      });
    }
    expect(state(tenant)).toEqual(before);
    expect(fields(await post(`${tenant.slug}/overrides`, { limits: { items: 2 }, revision: 'latest' }))).toEqual(['revision']);

    const current = (await get(tenant.slug)).body.data.revision as number;
    const changed = await post(`${tenant.slug}/overrides`, { limits: { items: 2 }, revision: current });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({ overrides: { limits: { members: 7, items: 2 } } });
    expect(changed.body.data.revision).toBeGreaterThan(current);
    expect((await post(`${tenant.slug}/plan`, { plan: 'starter', revision: changed.body.data.revision })).status).toBe(200);
  });

  it('answers a change sent again without a key on the revision it was first sent with as done (200), writing nothing more, while one that changes something is still refused', async () => {
    const tenant = await fresh();
    for (const [path, body] of [
      ['overrides', { limits: { items: 2 }, features: { api: true } }],
      ['plan', { plan: 'starter' }],
    ] as const) {
      const read = (await get(tenant.slug)).body.data.revision as number;
      const first = await post(`${tenant.slug}/${path}`, { ...body, revision: read });
      expect(first.status).toBe(200);
      const before = state(tenant);

      const again = await post(`${tenant.slug}/${path}`, { ...body, revision: read });

      expect({ status: again.status, ...again.body.data }).toEqual({ status: 200, ...first.body.data });
      expect(state(tenant)).toEqual(before);
      const changing = await post(`${tenant.slug}/${path}`, path === 'plan' ? { plan: 'default', revision: read } : { limits: { items: 3 }, revision: read });
      expect({ path, status: changing.status, code: changing.body.code }).toEqual({ path, status: 409, code: 'revision_conflict' });
      expect(state(tenant)).toEqual(before);
    }
    expect(
      state(tenant)
        .audit.map((r) => r.action)
        .sort(),
    ).toEqual(['tenant.overrides', 'tenant.plan']);
  });

  it('replays a change sent again under the same Idempotency-Key and refuses the key with another body, changing once', async () => {
    const tenant = await fresh();
    const keyed = (path: string, key: string, body: object) => post(`${tenant.slug}/${path}`, body).set('Idempotency-Key', key);
    for (const [path, body, other] of [
      ['plan', { plan: 'starter' }, { plan: 'default' }],
      ['overrides', { limits: { items: 2 } }, { limits: { items: 3 } }],
      ['overrides/clear', { keys: ['items'] }, { keys: ['members'] }],
    ] as const) {
      const first = await keyed(path, `key-${path}`, body);
      expect(first.status).toBe(200);
      const again = await keyed(path, `key-${path}`, body);
      expect({ path, replayed: again.headers['idempotent-replayed'], body: again.body }).toEqual({ path, replayed: 'true', body: first.body });
      expect((await keyed(path, `key-${path}`, other)).body.code).toBe('idempotency_key_reused');
    }
    expect(auditOf(t.platform, 'tenant.plan').filter((r) => r.tenant_id === tenant.id)).toHaveLength(1);
    expect(auditOf(t.platform, 'tenant.overrides').filter((r) => r.tenant_id === tenant.id)).toHaveLength(2);
  });

  it('gives a non-super-admin 404 and a token without admin.tenants 403, as the other admin routes do, and changes nothing', async () => {
    const tenant = await fresh();
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, tenant, 'owner');
    const ownerToken = personalToken(t.platform, owner);
    const unscoped = personalToken(t.platform, root, { scopes: ['admin.users'] });
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { items: 4 } });
    const before = state(tenant);
    const calls = (as: string) => [
      get(tenant.slug, as),
      post(`${tenant.slug}/plan`, { plan: 'starter' }, as),
      post(`${tenant.slug}/overrides`, { limits: { items: 1000 } }, as),
      post(`${tenant.slug}/overrides/clear`, {}, as),
    ];
    for (const res of await Promise.all(calls(ownerToken))) expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'not_found' });
    for (const res of await Promise.all(calls(unscoped))) {
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'forbidden' });
      expect(res.body.detail).toContain('admin.tenants');
    }
    expect(state(tenant)).toEqual(before);
  });

  it('is documented route by route, and each answer holds exactly the fields the document gives it', async () => {
    const { paths } = (await request(app).get('/api/v1/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { 'x-permission': string; requestBody?: unknown; responses: Record<string, { content: Record<string, { schema: JsonSchema }> }> }>
      >;
    };
    const tenant = await fresh();
    const answers = {
      'get /api/v1/admin/tenants/{id}/plan': await get(tenant.slug),
      'post /api/v1/admin/tenants/{id}/plan': await post(`${tenant.slug}/plan`, { plan: 'starter' }),
      'post /api/v1/admin/tenants/{id}/overrides': await post(`${tenant.slug}/overrides`, { limits: { items: 1 }, features: { api: true } }),
      'post /api/v1/admin/tenants/{id}/overrides/clear': await post(`${tenant.slug}/overrides/clear`, { keys: ['api'] }),
    };
    for (const [where, res] of Object.entries(answers)) {
      const [method, path] = where.split(' ');
      const operation = paths[path]?.[method];
      expect({ where, permission: operation?.['x-permission'], body: method === 'post' && !operation?.requestBody }).toEqual({
        where,
        permission: 'admin.tenants',
        body: false,
      });
      const schema = operation.responses['200'].content['application/json'].schema;
      const data = schema.properties?.data as JsonSchema;
      expect({ where, status: res.status, top: Object.keys(res.body) }).toEqual({ where, status: 200, top: ['data'] });
      for (const part of ['', 'limits', 'features', 'overrides', 'plan']) {
        const described = part ? (data.properties?.[part] as JsonSchema) : data;
        const answered = part ? res.body.data[part] : res.body.data;
        expect({ where, part, keys: Object.keys(answered).sort() }).toEqual({ where, part, keys: Object.keys(described.properties ?? {}).sort() });
        expect({ where, part, missing: (described.required ?? []).filter((k) => !(k in answered)) }).toEqual({ where, part, missing: [] });
      }
    }
  });
});
