import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { auditOf } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { TENANT_PAGE_SIZE } from '../../../control-plane/tenants/tenant-list-query';
import { IdempotencyStore } from '../../../core/http/idempotency-store';
import { freePort, killServerAt, startServerProcess } from '../../support/server-process';
import { seedTenant } from '../../../control-plane/provisioning/seed-tenant';

describe("the super-admin API's list of tenants", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let token: string;
  const slugs: string[] = [];

  /** Copies of a provisioned tenant's row (the list reads the control plane only, never their files). */
  function addTenantRows(count: number, status = 'active') {
    const columns = t.platform.db.all<{ name: string }>('pragma table_info(tenants)').map((c) => c.name);
    const values = columns.map((c) =>
      c === 'id'
        ? `printf('t%023d', n + ${slugs.length})`
        : c === 'slug' || c === 'name' || c === 'display_name'
          ? `'${status}-' || n`
          : c === 'status'
            ? '?'
            : c,
    );
    t.platform.db.run(
      `with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ?)
       insert into tenants (${columns.join(', ')}) select ${values.join(', ')} from seq, (select * from tenants where slug = 'seed')`,
      [count, status],
    );
    for (let n = 1; n <= count; n++) slugs.push(`${status}-${n}`);
  }

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '400' });
    app = createApp(t.platform).app;
    const root = await makeUser(t.platform, { superAdmin: true });
    token = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
    await makeTenant(t.platform, 'seed');
    slugs.push('seed');
    addTenantRows(TENANT_PAGE_SIZE * 2, 'active');
    addTenantRows(30, 'suspended');
  });
  afterAll(() => t.cleanup());

  const list = (query = '') => request(app).get(`/api/v1/admin/tenants${query}`).set(bearer(token));

  it('answers a page of at most 50 tenants with the page count, and reaches every tenant exactly once through its pages', async () => {
    const first = await list();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: 1, pages: Math.ceil(slugs.length / TENANT_PAGE_SIZE), total: slugs.length });
    expect(first.body.data).toHaveLength(TENANT_PAGE_SIZE);
    const seen: string[] = [];
    for (let page = 1; page <= first.body.pages; page++) {
      const res = await list(`?page=${page}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(TENANT_PAGE_SIZE);
      seen.push(...res.body.data.map((x: { slug: string }) => x.slug));
    }
    expect(seen).toHaveLength(slugs.length);
    expect([...seen].sort()).toEqual([...slugs].sort());
  });

  it("takes the console list's search, status and sort", async () => {
    const suspended = await list('?status=suspended&sort=created&dir=desc');
    expect(suspended.body).toMatchObject({ total: 30, pages: 1 });
    expect(suspended.body.data.every((x: { status: string }) => x.status === 'suspended')).toBe(true);
    expect((await list('?q=seed')).body.data.map((x: { slug: string }) => x.slug)).toEqual(['seed']);
  });

  it('runs as many statements for a page of 181 tenants as for a page of one', async () => {
    const statements = async (query: string) => {
      expect((await list(query)).status).toBe(200);
      const before = t.platform.db.statementCount;
      expect((await list(query)).status).toBe(200);
      return t.platform.db.statementCount - before;
    };
    expect(await statements('?page=3')).toBe(await statements('?q=seed'));
  });

  it('refuses a parameter it does not take or a bad page with 400 naming it', async () => {
    for (const [query, field] of [
      ['?page=0', 'page'],
      ['?status=gone', 'status'],
      ['?limit=10', 'limit'],
    ]) {
      const res = await list(query);
      expect({ query, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ query, status: 400, fields: [field] });
    }
  });

  it('is documented with its parameters, and answers with the page count', async () => {
    const document = (await request(app).get('/api/v1/openapi.json')).body;
    const operation = document.paths['/api/v1/admin/tenants'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['q', 'status', 'sort', 'dir', 'page']));
    const schema = operation.responses['200'].content['application/json'].schema;
    expect(schema).toMatchObject({ required: expect.arrayContaining(['data', 'page', 'pages', 'total']) });
  });
});

describe("the super-admin API's disable of a user", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let token: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const root = await makeUser(t.platform, { superAdmin: true });
    token = personalToken(t.platform, root, { scopes: ['admin.users'] });
  });
  afterAll(() => t.cleanup());

  const disable = (id: string) => request(app).post(`/api/v1/admin/users/${id}/disable`).set(bearer(token));

  it("refuses a workspace's only active owner with 400 on force, naming the workspace, and changes nothing; force: true disables anyway", async () => {
    const owner = await makeUser(t.platform, { email: 'sole@example.test' });
    await addMember(t.platform, owner, await makeTenant(t.platform, 'solo', 'Solo Shop'));

    const refused = await disable(owner.id).send({});
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'validation_failed',
      errors: [
        {
          field: 'force',
          message: 'is required: sole@example.test is the only active owner of solo (Solo Shop); disabling the account leaves it without an owner who can act',
        },
      ],
    });
    expect(t.platform.users.findById(owner.id)?.status).toBe('active');
    expect(auditOf(t.platform, 'user.disable')).toEqual([]);

    expect((await disable(owner.id).send({ force: 'yes' })).status).toBe(400);
    const forced = await disable(owner.id).send({ force: true });
    expect(forced.status).toBe(200);
    expect(forced.body.data).toMatchObject({ id: owner.id, status: 'disabled' });
    expect(JSON.parse(auditOf(t.platform, 'user.disable')[0].after ?? '{}')).toMatchObject({ leftWithoutOwner: ['solo'] });
  });

  it('keeps no answer for a refusal under an Idempotency-Key: the same key with force: true disables once, is replayed after, and the first body with that key is refused (422), never answered with the disable', async () => {
    const owner = await makeUser(t.platform, { email: 'keyed@example.test' });
    await addMember(t.platform, owner, await makeTenant(t.platform, 'keyed', 'Keyed Shop'));
    const keyed = () => disable(owner.id).set('Idempotency-Key', 'disable-keyed');

    const refused = await keyed().send({});
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('force');
    const forced = await keyed().send({ force: true });
    expect(forced.status).toBe(200);
    expect(forced.headers['idempotent-replayed']).toBeUndefined();
    expect(forced.body.data).toMatchObject({ id: owner.id, status: 'disabled' });

    const again = await keyed().send({ force: true });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(forced.body);
    // The refused body again with the key: another request than the one the key now holds.
    for (const body of [{}, { force: false }]) {
      const other = await keyed().send(body);
      expect({ body, status: other.status, code: other.body.code }).toEqual({ body, status: 422, code: 'idempotency_key_reused' });
    }
    expect(auditOf(t.platform, 'user.disable').filter((r) => r.target_id === owner.id)).toHaveLength(1);
  });

  it('disables, without force, an owner who shares the workspace with another active owner', async () => {
    const shop = await makeTenant(t.platform, 'shared', 'Shared Shop');
    const first = await makeUser(t.platform);
    await addMember(t.platform, first, shop);
    await addMember(t.platform, await makeUser(t.platform), shop);
    expect((await disable(first.id)).status).toBe(200);
  });
});

describe("the super-admin API's archive whose answer was cut off", () => {
  let t: TestPlatform;
  let token: string;

  beforeEach(async () => {
    t = await createTestPlatform();
    await makeTenant(t.platform, 'gone');
    const root = await makeUser(t.platform, { superAdmin: true });
    token = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  const archiveBody = JSON.stringify({ confirm: 'gone' });

  it('answers the retry with the tenant archived when storing the answer failed, not "in use" for a day', async () => {
    const { app } = createApp(t.platform);
    jest.spyOn(IdempotencyStore.prototype, 'complete').mockImplementationOnce(() => {
      throw new Error('disk I/O error');
    });
    const archive = () =>
      request(app).post('/api/v1/admin/tenants/gone/archive').set(bearer(token)).set('Idempotency-Key', 'archive-once').send({ confirm: 'gone' });
    expect((await archive()).status).toBe(500);
    const again = await archive();
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data).toMatchObject({ slug: 'gone', status: 'archived' });
    expect((await archive()).body).toEqual(again.body);
  });

  it('answers the retry after the server was killed half way and started again with the tenant archived', async () => {
    t.platform.router.closeAll();
    const archive = (base: string) =>
      fetch(`${base}/api/v1/admin/tenants/gone/archive`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json', 'idempotency-key': 'archive-killed' },
        body: archiveBody,
      });
    await killServerAt(t.dataDir, 'archive:marked', archive);
    const port = await freePort();
    const server = startServerProcess(t.dataDir, port);
    try {
      await server.serving;
      const again = await archive(`http://127.0.0.1:${port}`);
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(((await again.json()) as { data: unknown }).data).toMatchObject({ slug: 'gone', status: 'archived' });
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }, 90_000);

  it('still refuses (409) an archive of an archived tenant sent with a new key', async () => {
    const { app } = createApp(t.platform);
    const archive = (key: string) =>
      request(app).post('/api/v1/admin/tenants/gone/archive').set(bearer(token)).set('Idempotency-Key', key).send({ confirm: 'gone' });
    expect((await archive('first')).status).toBe(200);
    expect((await archive('another')).status).toBe(409);
  });
});

describe("the super-admin API's read of one tenant", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let token: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const root = await makeUser(t.platform, { superAdmin: true });
    token = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
  });
  afterAll(() => t.cleanup());

  const get = (idOrSlug: string, as = token) => request(app).get(`/api/v1/admin/tenants/${idOrSlug}`).set(bearer(as));

  it('reads a tenant by its slug or its id, with how many members it has', async () => {
    const tenant = await makeTenant(t.platform, 'one-brand', 'One Brand');
    await addMember(t.platform, await makeUser(t.platform), tenant, 'owner');
    await addMember(t.platform, await makeUser(t.platform), tenant, 'viewer');
    const bySlug = await get('one-brand');
    expect(bySlug.status).toBe(200);
    expect(bySlug.body.data).toMatchObject({ id: tenant.id, slug: 'one-brand', name: 'One Brand', status: 'active', members: 2 });
    expect((await get(tenant.id)).body).toEqual(bySlug.body);
  });

  it('answers the revision a rename or a change of its plan takes, in the read and the list, as documented', async () => {
    const tenant = await makeTenant(t.platform, 'rev-brand', 'Rev Brand');
    const read = await get('rev-brand');
    expect(read.body.data.revision).toBe(t.platform.tenants.findById(tenant.id)?.updated_at);
    const listed = await request(app).get('/api/v1/admin/tenants?q=rev-brand').set(bearer(token));
    expect(listed.body.data).toEqual([expect.objectContaining({ id: tenant.id, revision: read.body.data.revision })]);
    const renamed = await request(app)
      .patch(`/api/v1/admin/tenants/${tenant.id}`)
      .set(bearer(token))
      .send({ name: 'Rev Brand 2', revision: read.body.data.revision });
    expect(renamed.status).toBe(200);
    expect((await get(tenant.id)).body.data.revision).toBe(renamed.body.data.revision);
    const stale = await request(app)
      .patch(`/api/v1/admin/tenants/${tenant.id}`)
      .set(bearer(token))
      .send({ name: 'Rev Brand 3', revision: read.body.data.revision });
    expect(stale.body).toMatchObject({ status: 409, code: 'revision_conflict' });
    const { paths } = (await request(app).get('/api/v1/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, { properties: object }> } }> }> }>
      >;
    };
    for (const [path, status] of [
      ['/api/v1/admin/tenants/{id}', 200],
      ['/api/v1/admin/tenants', 200],
    ] as const) {
      const { schema } = paths[path].get.responses[status].content['application/json'];
      const tenantShape = (path.endsWith('{id}') ? schema.properties.data : (schema.properties.data as unknown as { items: { properties: object } }).items) as {
        properties: object;
      };
      expect(Object.keys(tenantShape.properties)).toContain('revision');
    }
  });

  it('answers 404 for an unknown tenant, and for anyone but a super admin', async () => {
    const tenant = await makeTenant(t.platform, 'own-brand');
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, tenant, 'owner');
    expect((await get('no-such-brand')).status).toBe(404);
    expect((await get('own-brand', personalToken(t.platform, owner))).status).toBe(404);
  });
});

describe("the super-admin API's tenant creation whose answer was cut off", () => {
  let t: TestPlatform;
  let token: string;
  let app: ReturnType<typeof createApp>['app'];

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const root = await makeUser(t.platform, { superAdmin: true });
    token = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  const create = (key: string, body: object) => request(app).post('/api/v1/admin/tenants').set(bearer(token)).set('Idempotency-Key', key).send(body);
  /** The creation is done (the tenant active, its owner invited or added) but its answer cannot be stored. */
  const failAfterTheInvitation = () =>
    jest.spyOn(IdempotencyStore.prototype, 'complete').mockImplementationOnce(() => {
      throw new Error('disk I/O error');
    });

  it('says plainly in the retry that the invitation link is not in it and how to get a new one, storing no link', async () => {
    failAfterTheInvitation();
    const body = { name: 'Initech', slug: 'initech', owner_email: 'boss@initech.test' };
    expect((await create('initech-1', body)).status).toBe(500);
    const again = await create('initech-1', body);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual({
      data: expect.objectContaining({ slug: 'initech', status: 'active' }),
      invitation_url: null,
      invitation_resend_required: true,
      invitation_note: expect.stringContaining('Add owner'),
    });
    expect((await create('initech-1', body)).body).toEqual(again.body);
    // The answer kept for the key holds no link.
    expect(JSON.stringify(t.platform.db.all('select response from idempotency_keys'))).not.toContain('/invitations/');
  });

  it('answers the retry with the owner added when the owner already had an account', async () => {
    failAfterTheInvitation();
    await makeUser(t.platform, { email: 'known@initech.test' });
    const body = { name: 'Initech', slug: 'initech', owner_email: 'known@initech.test' };
    expect((await create('initech-2', body)).status).toBe(500);
    const again = await create('initech-2', body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ data: expect.objectContaining({ slug: 'initech' }), owner_added: 'known@initech.test' });
  });

  it('documents the fields of a retry that cannot show the link', async () => {
    const doc = (await request(app).get('/api/v1/openapi.json')).body;
    const created = doc.paths['/api/v1/admin/tenants'].post.responses['201'].content['application/json'].schema;
    expect(Object.keys(created.properties)).toEqual(
      expect.arrayContaining(['invitation_url', 'invitation_mailed', 'invitation_resend_required', 'invitation_note']),
    );
  });
});

describe("the super-admin API's tenant creation sent twice without a key", () => {
  let t: TestPlatform;
  let token: string;
  let app: ReturnType<typeof createApp>['app'];

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const root = await makeUser(t.platform, { superAdmin: true });
    token = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  const create = (body: object) => request(app).post('/api/v1/admin/tenants').set(bearer(token)).send(body);
  const body = { name: 'Initech', slug: 'initech', owner_email: 'boss@initech.test' };

  it("makes one tenant, and answers the second at once with the first one's tenant and that its link must be sent again", async () => {
    const [first, second] = await Promise.all([create(body), create(body)]);
    const [made, repeat] = first.body.invitation_url ? [first, second] : [second, first];
    expect(made.status).toBe(201);
    expect(made.body.invitation_url).toMatch(/\/invitations\//);
    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual({
      data: made.body.data,
      invitation_url: null,
      invitation_resend_required: true,
      invitation_note: expect.stringContaining('Add owner'),
    });
    expect(await t.platform.tenants.list()).toHaveLength(1);
  });

  it('refuses the creation sent again after the first failed, with or without a key, never answering 201 with the failed tenant', async () => {
    jest.spyOn(seedTenant, 'run').mockRejectedValueOnce(new Error('disk full'));
    const keyed = () => request(app).post('/api/v1/admin/tenants').set(bearer(token)).set('Idempotency-Key', 'initech-1').send(body);
    expect((await keyed()).status).toBe(500);
    for (const again of [await keyed(), await create(body)]) {
      expect(again.status).toBe(400);
      expect(again.body.errors).toEqual([{ field: 'slug', message: 'is already taken' }]);
    }
    expect(t.platform.tenants.findBySlug('initech')).toMatchObject({ status: 'failed' });
  });

  it('still refuses the slug to another body', async () => {
    expect((await create(body)).status).toBe(201);
    const other = await create({ ...body, owner_email: 'someone@initech.test' });
    expect(other.status).toBe(400);
    expect(other.body.errors).toEqual([{ field: 'slug', message: 'is already taken' }]);
  });
});
