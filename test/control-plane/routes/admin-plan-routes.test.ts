import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import { auditOf } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { purgeTenant } from '../../../control-plane/lifecycle/purge-tenant';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';

describe('the plans console', () => {
  let t: TestPlatform;
  let admin: Agent;
  let owner: Agent;
  let acme: TenantRecord;
  let globex: TenantRecord;
  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    admin = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
    acme = await makeTenant(t.platform, 'acme');
    globex = await makeTenant(t.platform, 'globex');
    const ownerUser = await makeUser(t.platform);
    await addMember(t.platform, ownerUser, acme, 'owner');
    owner = await signIn(app, ownerUser.email);
  });
  afterAll(() => t.cleanup());

  it('lists the plans and creates one from the form (blank limits unlimited, unticked features off), audited', async () => {
    expect((await admin.get('/admin/plans')).text).toContain('data-plan="default"');
    const res = await postForm(
      admin,
      '/admin/plans',
      { key: 'small', name: 'Small', limit_members: '3', limit_storage_bytes: '1 GB', feature_csv: 'on' },
      '/admin/plans',
    );
    expect(res.status).toBe(303);
    expect(t.platform.plans.require('small')).toMatchObject({
      limits: { members: 3, storage_bytes: 1024 ** 3, items: null },
      features: { csv: true, api: false, branding: false },
    });
    expect(auditOf(t.platform, 'plan.create')).toMatchObject([{ target_id: 'small', actor_user_id: expect.any(String) }]);
    expect((await admin.get('/admin/plans/small')).text).toContain('value="3"');
  });

  it('records one change in the trail when the same edit is sent twice at once (a double click)', async () => {
    expect((await postForm(admin, '/admin/plans', { key: 'twice', name: 'Twice', limit_members: '3' }, '/admin/plans')).status).toBe(303);
    const _csrf = await csrfFrom(admin, '/admin/plans/twice');
    const send = () => admin.post('/admin/plans/twice').type('form').send({ name: 'Twice', limit_members: '5', _csrf });
    expect((await Promise.all([send(), send()])).map((r) => r.status)).toEqual([303, 303]);
    expect(t.platform.plans.require('twice').limits.members).toBe(5);
    const updates = auditOf(t.platform, 'plan.update').filter((r) => r.target_id === 'twice');
    expect(updates).toHaveLength(1);
    expect(JSON.parse(updates[0].after as string)).toMatchObject({ limits: { members: 5 } });
  });

  it('answers 400 naming the field and its reason, and writes nothing', async () => {
    const res = await postForm(admin, '/admin/plans/small', { name: 'Small', limit_items: 'many' }, '/admin/plans/small');
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="limit_items-error"');
    expect(res.text).toContain('must be a whole number, or unlimited');
    expect(t.platform.plans.require('small').limits.items).toBeNull();
  });

  it("puts a tenant on a plan with overrides from its page, applied on the tenant's next request", async () => {
    const res = await postForm(admin, '/admin/tenants/acme/plan', { plan: 'small', limit_items: '7', feature_api: 'on' }, '/admin/tenants/acme');
    expect(res.status).toBe(303);
    expect(t.platform.planBook.entitlementsOf(acme.id)).toMatchObject({
      plan: { key: 'small' },
      limits: { items: 7, members: 3 },
      features: { api: true, csv: true },
    });
    expect(t.platform.planBook.entitlementsOf(globex.id).plan.key).toBe('default');
    expect((await admin.get('/admin/tenants/acme')).text).toMatch(/<tr data-limit="items">[\s\S]*?value="7"/);
    expect(auditOf(t.platform, 'tenant.plan')).toMatchObject([{ tenant_id: acme.id }]);
    expect((await postForm(admin, '/admin/tenants/acme/plan', { plan: 'nope' }, '/admin/tenants/acme')).status).toBe(400);
  });

  it("records nothing when a tenant's plan form is sent again as it was", async () => {
    const form = { plan: 'small', limit_items: '4', limit_members: '', feature_api: 'on' };
    const trail = () => [...auditOf(t.platform, 'tenant.plan'), ...auditOf(t.platform, 'tenant.overrides')].filter((r) => r.tenant_id === globex.id);
    expect((await postForm(admin, '/admin/tenants/globex/plan', form, '/admin/tenants/globex')).status).toBe(303);
    const once = trail();
    expect(once.map((r) => r.action).sort()).toEqual(['tenant.overrides', 'tenant.plan']);
    expect((await postForm(admin, '/admin/tenants/globex/plan', form, '/admin/tenants/globex')).status).toBe(303);
    expect(trail()).toEqual(once);
    expect(t.platform.planBook.entitlementsOf(globex.id)).toMatchObject({ plan: { key: 'small' }, limits: { items: 4 } });
  });

  it('is not there for a tenant owner: 404, and their settings show the limits read-only', async () => {
    const before = t.platform.planBook.entitlementsOf(acme.id);
    expect((await owner.get('/admin/plans')).status).toBe(404);
    expect((await postForm(owner, '/admin/tenants/acme/plan', { plan: 'default', limit_items: 'unlimited' }, '/t/acme/settings')).status).toBe(404);
    expect((await postForm(owner, '/admin/plans/small', { name: 'Mine', limit_items: '' }, '/t/acme/settings')).status).toBe(404);
    expect(t.platform.planBook.entitlementsOf(acme.id)).toEqual(before);
    const settings = await owner.get('/t/acme/settings');
    expect(settings.text).toContain('<tr data-limit="items"><td>Content items</td><td>7</td></tr>');
    expect(settings.text).not.toContain('name="limit_items"');
  });

  it('changes nothing for a purged tenant, whose page shows no plan: a form sent to its address answers 404', async () => {
    const gone = await makeTenant(t.platform, 'gone-brand');
    await archiveTenant(t.platform, gone.id, { confirm: 'gone-brand' }, CLI_OPERATOR);
    await purgeTenant(t.platform, gone.id, { confirm: 'gone-brand' }, CLI_OPERATOR);
    const trail = t.platform.db.all('select id from audit_events');
    const res = await postForm(admin, `/admin/tenants/${gone.id}/plan`, { plan: 'small', limit_items: '7' }, `/admin/tenants/${gone.id}`);
    expect(res.status).toBe(404);
    expect(t.platform.plans.tenantPlan(gone.id)?.limitOverrides ?? {}).toEqual({});
    expect(t.platform.db.all('select id from audit_events')).toEqual(trail);
  });
});
