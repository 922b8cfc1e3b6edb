import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { auditOf } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
}

/** PATCH /api/v1/admin/tenants/:id: a super admin renames a tenant through the API. */
describe("the super-admin API's rename of a tenant", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let token: string;
  let acme: TenantRecord;
  let globex: TenantRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    token = personalToken(t.platform, await makeUser(t.platform, { superAdmin: true }), { scopes: ['admin.tenants'] });
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    globex = await makeTenant(t.platform, 'globex', 'Globex');
  });
  afterEach(() => t.cleanup());

  const patch = (id: string, body: unknown, as = token) =>
    request(app)
      .patch(`/api/v1/admin/tenants/${id}`)
      .set(bearer(as))
      .send(body as object);
  const row = (tenant: TenantRecord) => t.platform.tenants.findById(tenant.id);

  it('renames by id or slug, answers the tenant with its new revision, and the old slug is a 404 from then on', async () => {
    const res = await patch(acme.slug, { name: 'Acme Corp', slug: 'acme-corp', revision: acme.updated_at });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: acme.id, name: 'Acme Corp', slug: 'acme-corp', revision: row(acme)!.updated_at });
    expect((await request(app).get('/api/v1/admin/tenants/acme').set(bearer(token))).status).toBe(404);
    expect((await patch(acme.id, { name: 'Acme Again' })).body.data).toMatchObject({ name: 'Acme Again', slug: 'acme-corp' });
    expect(row(globex)).toEqual(globex);
    expect(auditOf(t.platform, 'tenant.rename')).toHaveLength(2);
  });

  it('answers the same rename sent again as done, writing nothing', async () => {
    await patch(acme.id, { name: 'Acme Corp', revision: acme.updated_at });
    const again = await patch(acme.id, { name: 'Acme Corp', revision: acme.updated_at });
    expect(again.status).toBe(200);
    expect(auditOf(t.platform, 'tenant.rename')).toHaveLength(1);
  });

  it('refuses a taken slug, a bad slug, an unknown field and a stale revision, changing nothing', async () => {
    const taken = await patch(acme.id, { slug: 'globex' });
    expect({ status: taken.status, errors: taken.body.errors }).toMatchObject({ status: 400, errors: [{ field: 'slug', message: 'is already taken' }] });
    expect((await patch(acme.id, { slug: '../x' })).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'slug' })] });
    expect((await patch(acme.id, { name: 'Acme', titel: 'x' })).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'titel' })] });
    expect((await patch(acme.id, { name: 'Acme', revision: 'one' })).body).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ field: 'revision' })],
    });
    const stale = await patch(acme.id, { name: 'Other', revision: acme.updated_at - 1 });
    expect(stale.body).toMatchObject({ status: 409, code: 'revision_conflict', current_revision: acme.updated_at });
    expect(row(acme)).toEqual(acme);
  });

  it("answers a tenant's owner (all scopes of their tenant) 404 for a rename of their own tenant or another one", async () => {
    const ownerUser = await makeUser(t.platform);
    await addMember(t.platform, ownerUser, acme, 'owner');
    const ownerToken = personalToken(t.platform, ownerUser);
    for (const target of [acme.id, acme.slug, globex.id, globex.slug]) expect((await patch(target, { name: 'Mine' }, ownerToken)).status).toBe(404);
    expect([row(acme), row(globex)]).toEqual([acme, globex]);
  });

  it('is documented, and its answer holds exactly the fields the document gives it', async () => {
    const { paths } = (await request(app).get('/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-permission': string; responses: Record<string, { content: Record<string, { schema: JsonSchema }> }> }>>;
    };
    const operation = paths['/api/v1/admin/tenants/{id}'].patch;
    expect(operation['x-permission']).toBe('admin.tenants');
    const data = operation.responses['200'].content['application/json'].schema.properties?.data as JsonSchema;
    const res = await patch(acme.id, { name: 'Acme Corp' });
    expect(Object.keys(res.body.data).sort()).toEqual(Object.keys(data.properties ?? {}).sort());
  });
});
