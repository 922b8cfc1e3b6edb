import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import { auditOf } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { holdTenantLock } from '../../../control-plane/lifecycle/tenant-lock';

/** The console's rename form on a tenant's page (/admin/tenants/<id>/rename). */
describe("a tenant's rename from the console", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let admin: Agent;
  let other: Agent;
  let owner: Agent;
  let ownerToken: string;
  let acme: TenantRecord;
  let globex: TenantRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    admin = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
    other = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    globex = await makeTenant(t.platform, 'globex', 'Globex');
    const ownerUser = await makeUser(t.platform);
    await addMember(t.platform, ownerUser, acme, 'owner');
    await addMember(t.platform, ownerUser, globex, 'admin');
    owner = await signIn(app, ownerUser.email);
    ownerToken = personalToken(t.platform, ownerUser, { tenant: acme });
  });
  afterEach(() => t.cleanup());

  const rename = (agent: Agent, tenant: TenantRecord, fields: Record<string, string>, tokenPage = `/admin/tenants/${tenant.slug}`) =>
    postForm(agent, `/admin/tenants/${tenant.id}/rename`, fields, tokenPage);
  const row = (tenant: TenantRecord) => t.platform.tenants.findById(tenant.id);

  it('renames from the form with its revision and leads to the page under the new slug', async () => {
    const page = await admin.get('/admin/tenants/acme');
    expect(page.text).toContain(`action="/admin/tenants/${acme.id}/rename"`);
    expect(page.text).toContain(`name="revision" value="${acme.updated_at}"`);
    const res = await rename(admin, acme, { name: 'Acme Corp', slug: 'acme-corp', revision: String(acme.updated_at) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/tenants/acme-corp?done=rename');
    expect((await admin.get(res.headers.location)).text).toContain('The tenant was renamed');
    expect(row(acme)).toMatchObject({ name: 'Acme Corp', slug: 'acme-corp' });
    expect(row(globex)).toEqual(globex);
    expect((await admin.get('/admin/tenants/acme')).status).toBe(404);
  });

  it("serves the renamed workspace under its new slug to its member's session and token, and answers the old slug 404", async () => {
    expect((await owner.get('/t/acme')).status).toBe(200);
    expect((await request(app).get('/api/v1/t/acme/items').set(bearer(ownerToken))).status).toBe(200);
    // The session's current workspace is acme.
    const csrf = (await owner.get('/api/v1/context')).headers['x-csrf-token'] as string;
    expect((await owner.post('/api/v1/context/switch').set('x-csrf-token', csrf).send({ tenant: 'acme' })).status).toBe(200);
    await rename(admin, acme, { name: 'Acme Corp', slug: 'acme-corp' });
    expect((await owner.get('/t/acme')).status).toBe(404);
    expect((await owner.get('/t/acme/items')).status).toBe(404);
    const moved = await owner.get('/t/acme-corp');
    expect(moved.status).toBe(200);
    expect(moved.text).toContain('Acme Corp');
    expect((await owner.get('/api/v1/context')).body).toMatchObject({ tenant: { slug: 'acme-corp' } });
    expect((await request(app).get('/api/v1/t/acme-corp/items').set(bearer(ownerToken))).status).toBe(200);
    expect((await request(app).get('/api/v1/t/acme/items').set(bearer(ownerToken))).status).toBe(404);
  });

  it('answers a member or tenant admin 404 for a rename of their own tenant or another one, by id or slug, changing nothing', async () => {
    for (const tenant of [acme, globex]) {
      for (const target of [tenant.id, tenant.slug]) {
        const res = await postForm(owner, `/admin/tenants/${target}/rename`, { name: 'Mine now', slug: 'mine-now' }, `/t/${tenant.slug}`);
        expect(res.status).toBe(404);
      }
    }
    expect([row(acme), row(globex)]).toEqual([acme, globex]);
    expect(auditOf(t.platform, 'tenant.rename')).toHaveLength(0);
  });

  it('shows the form again with the reason on slug for a slug taken or malformed, changing nothing', async () => {
    for (const slug of ['globex', '../etc', 'Admin', 'admin']) {
      const res = await rename(admin, acme, { name: 'Acme', slug });
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="slug-error"');
    }
    expect(row(acme)).toEqual(acme);
  });

  it("refuses a form opened before another operator's rename (409), showing the tenant as it is now", async () => {
    const stale = String(acme.updated_at);
    expect((await rename(other, acme, { name: 'Acme One', slug: 'acme', revision: stale })).status).toBe(303);
    const res = await rename(admin, acme, { name: 'Acme Two', slug: 'acme', revision: stale });
    expect(res.status).toBe(409);
    expect(res.text).toContain('value="Acme One"');
    expect(res.text).toContain(`name="revision" value="${row(acme)!.updated_at}"`);
    expect(row(acme)?.name).toBe('Acme One');
  });

  it("answers a rename while another operation holds the tenant (409) saying so and to try again, on the tenant's page with what was typed and in the API, changing nothing", async () => {
    const lock = holdTenantLock(t.dataDir, acme.id);
    try {
      const page = await rename(admin, acme, { name: 'Acme Two', slug: 'acme' });
      expect(page.status).toBe(409);
      expect(page.text).toContain('<h1>Acme <span class="status status-active">active</span></h1>');
      expect(page.text).toContain('<div class="alert" role="alert">\n    <p>Another operation is running on this tenant right now. Try again in a moment.</p>');
      expect(page.text).toMatch(/<input id="name" name="name"[^>]* value="Acme Two"/);
      const token = personalToken(t.platform, await makeUser(t.platform, { superAdmin: true }), { scopes: ['admin.tenants'] });
      const api = await request(app).patch(`/api/v1/admin/tenants/${acme.id}`).set(bearer(token)).send({ name: 'Acme Two' });
      expect(api.status).toBe(409);
      expect(api.body).toMatchObject({ code: 'conflict', detail: 'Another operation is running on this tenant right now. Try again in a moment.' });
    } finally {
      lock.release();
    }
    expect(row(acme)).toEqual(acme);
  });

  it('takes the same form sent twice (a double click) as one rename, both answers leading to the new page', async () => {
    const _csrf = await csrfFrom(admin, '/admin/tenants/acme');
    const send = () =>
      admin
        .post(`/admin/tenants/${acme.id}/rename`)
        .type('form')
        .send({ name: 'Acme Corp', slug: 'acme-corp', revision: String(acme.updated_at), _csrf });
    // Sent at once, as a double click sends them: one renames, the other finds nothing left to change.
    const answers = await Promise.all([send(), send()]);
    expect(answers.map((r) => [r.status, r.headers.location])).toEqual([
      [303, '/admin/tenants/acme-corp?done=rename'],
      [303, '/admin/tenants/acme-corp?done=rename'],
    ]);
    expect(auditOf(t.platform, 'tenant.rename')).toHaveLength(1);
  });
});
