import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import { auditOf } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { purgeTenant } from '../../../control-plane/lifecycle/purge-tenant';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import { setTenantOverrides } from '../../../control-plane/plans/manage-plans';
import { saveWorkspaceSettings } from '../../support/workspace-settings';

describe('the plans console', () => {
  let t: TestPlatform;
  let admin: Agent;
  let other: Agent;
  let owner: Agent;
  let acme: TenantRecord;
  let globex: TenantRecord;
  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    admin = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
    other = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
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

  describe('a form opened before someone else changed what it shows', () => {
    /** The revision the form posting to `action` sends back. */
    const revisionOf = (html: string, action: string) => {
      const form = new RegExp(`<form method="post" action="${action}">([\\s\\S]*?)</form>`).exec(html);
      const revision = form && /name="revision" value="([^"]*)"/.exec(form[1])?.[1];
      if (!revision) throw new Error(`the form to ${action} sends no revision`);
      return revision;
    };

    it("refuses a plan's form saved after another operator saved it (409): the other change stays, nothing is written, and the form shows the plan as it is now", async () => {
      expect((await postForm(admin, '/admin/plans', { key: 'racy', name: 'Racy', limit_members: '3' }, '/admin/plans')).status).toBe(303);
      const [mine, theirs] = (await Promise.all([admin.get('/admin/plans/racy'), other.get('/admin/plans/racy')])).map((page) =>
        revisionOf(page.text, '/admin/plans/racy'),
      );
      expect(mine).toBe(theirs);
      expect(
        (await postForm(other, '/admin/plans/racy', { name: 'Racy', limit_members: '3', feature_api: 'on', revision: theirs }, '/admin/plans')).status,
      ).toBe(303);
      const before = t.platform.plans.require('racy');
      const records = auditOf(t.platform, 'plan.update').length;

      const res = await postForm(admin, '/admin/plans/racy', { name: 'Racy', limit_members: '10', revision: mine }, '/admin/plans');

      expect(res.status).toBe(409);
      expect(t.platform.plans.require('racy')).toEqual(before);
      expect(before).toMatchObject({ limits: { members: 3 }, features: { api: true } });
      expect(auditOf(t.platform, 'plan.update')).toHaveLength(records);
      expect(res.text).toContain('This plan was changed since you opened it');
      expect(res.text).toMatch(/name="feature_api"[^>]*checked/);
      expect(revisionOf(res.text, '/admin/plans/racy')).toBe(String(before.updatedAt));
      // Sent again from the form shown, the change is made and the other one kept.
      const again = { name: 'Racy', limit_members: '10', feature_api: 'on', revision: String(before.updatedAt) };
      expect((await postForm(admin, '/admin/plans/racy', again, '/admin/plans')).status).toBe(303);
      expect(t.platform.plans.require('racy')).toMatchObject({ limits: { members: 10 }, features: { api: true } });
    });

    it('keeps the revision of a plan saved unchanged, and takes a form without a revision as before', async () => {
      expect((await postForm(admin, '/admin/plans', { key: 'still', name: 'Still', limit_items: '5' }, '/admin/plans')).status).toBe(303);
      const revision = revisionOf((await admin.get('/admin/plans/still')).text, '/admin/plans/still');
      expect((await postForm(admin, '/admin/plans/still', { name: 'Still', limit_items: '5', revision }, '/admin/plans')).status).toBe(303);
      expect(String(t.platform.plans.require('still').updatedAt)).toBe(revision);
      expect((await postForm(admin, '/admin/plans/still', { name: 'Still', limit_items: '6' }, '/admin/plans')).status).toBe(303);
      expect(t.platform.plans.require('still').limits.items).toBe(6);
    });

    it("refuses a tenant's plan form saved after an override was set elsewhere (409): the override stays, and the form shows the tenant's plan and overrides as they are now", async () => {
      const tenant = await makeTenant(t.platform, 'initech');
      const revision = revisionOf((await admin.get('/admin/tenants/initech')).text, '/admin/tenants/initech/plan');
      // Meanwhile the CLI (`tenantry tenants set-limits initech --limit items=7`) gives it an override.
      setTenantOverrides(t.platform, CLI_OPERATOR, tenant, { limit_items: '7' }, 'merge');
      const before = t.platform.plans.tenantPlan(tenant.id);
      const records = auditOf(t.platform, 'tenant.overrides').length;

      const res = await postForm(admin, '/admin/tenants/initech/plan', { plan: 'default', feature_api: 'off', revision }, '/admin/tenants/initech');

      expect(res.status).toBe(409);
      expect(t.platform.plans.tenantPlan(tenant.id)).toEqual(before);
      expect(before?.limitOverrides).toEqual({ items: 7 });
      expect(auditOf(t.platform, 'tenant.overrides')).toHaveLength(records);
      expect(res.text).toContain('This tenant was changed since you opened its page');
      expect(res.text).toMatch(/<tr data-limit="items">[\s\S]*?value="7"/);
      const shown = revisionOf(res.text, '/admin/tenants/initech/plan');
      expect(shown).toBe(String(before?.revision));
      const again = { plan: 'default', limit_items: '7', feature_api: 'off', revision: shown };
      expect((await postForm(admin, '/admin/tenants/initech/plan', again, '/admin/tenants/initech')).status).toBe(303);
      expect(t.platform.plans.tenantPlan(tenant.id)).toMatchObject({ limitOverrides: { items: 7 }, featureOverrides: { api: false } });
    });

    it("takes a tenant's plan form saved after the workspace changed its own language: its own settings are no change to the plan", async () => {
      const revision = revisionOf((await admin.get('/admin/tenants/acme')).text, '/admin/tenants/acme/plan');
      const changed = await saveWorkspaceSettings(owner, 'acme', { display_name: 'Acme', language: 'fr' });
      expect(changed.status).toBe(303);
      expect(t.platform.tenants.findById(acme.id)?.language).toBe('fr');
      const res = await postForm(admin, '/admin/tenants/acme/plan', { plan: 'default', limit_items: '9', revision }, '/admin/tenants/acme');
      expect(res.status).toBe(303);
      expect(t.platform.plans.tenantPlan(acme.id)?.limitOverrides).toEqual({ items: 9 });
    });

    it("keeps the first of two saves of a tenant's plan form sent at once on the same revision and refuses the other", async () => {
      const tenant = await makeTenant(t.platform, 'hooli');
      const revision = revisionOf((await admin.get('/admin/tenants/hooli')).text, '/admin/tenants/hooli/plan');
      const [a, b] = await Promise.all([
        postForm(admin, '/admin/tenants/hooli/plan', { plan: 'default', limit_items: '3', revision }, '/admin/tenants/hooli'),
        postForm(other, '/admin/tenants/hooli/plan', { plan: 'default', limit_members: '4', revision }, '/admin/tenants/hooli'),
      ]);
      expect([a.status, b.status].sort()).toEqual([303, 409]);
      expect(t.platform.plans.tenantPlan(tenant.id)?.limitOverrides).toEqual(a.status === 303 ? { items: 3 } : { members: 4 });
    });

    describe('a double click on Save', () => {
      const revisionOfPage = async (path: string, action: string) => revisionOf((await admin.get(path)).text, action);
      const planUpdates = (key: string) => auditOf(t.platform, 'plan.update').filter((r) => r.target_id === key);
      const tenantTrail = (tenant: TenantRecord) =>
        [...auditOf(t.platform, 'tenant.plan'), ...auditOf(t.platform, 'tenant.overrides')].filter((r) => r.tenant_id === tenant.id);

      it("answers both sends of a plan's form as a save, one after the other and at once, with one change recorded each time", async () => {
        for (const [key, together] of [
          ['clicked', false],
          ['clicked-at-once', true],
        ] as const) {
          expect((await postForm(admin, '/admin/plans', { key, name: 'Clicked', limit_members: '3' }, '/admin/plans')).status).toBe(303);
          const revision = await revisionOfPage(`/admin/plans/${key}`, `/admin/plans/${key}`);
          const send = () => postForm(admin, `/admin/plans/${key}`, { name: 'Clicked', limit_members: '5', feature_api: 'on', revision }, '/admin/plans');
          const answers = together ? await Promise.all([send(), send()]) : [await send(), await send()];

          expect(answers.map((res) => res.status)).toEqual([303, 303]);
          expect(answers[1].headers.location).toBe(answers[0].headers.location);
          expect(t.platform.plans.require(key)).toMatchObject({ limits: { members: 5 }, features: { api: true } });
          expect(planUpdates(key)).toHaveLength(1);
          expect(String(t.platform.plans.require(key).updatedAt)).not.toBe(revision);
        }
      });

      it("still refuses (409) a plan's form sent again on the old revision that would change a field, writing nothing", async () => {
        expect((await postForm(admin, '/admin/plans', { key: 'reclicked', name: 'Reclicked', limit_members: '3' }, '/admin/plans')).status).toBe(303);
        const revision = await revisionOfPage('/admin/plans/reclicked', '/admin/plans/reclicked');
        const form = { name: 'Reclicked', limit_members: '5', revision };
        expect((await postForm(admin, '/admin/plans/reclicked', form, '/admin/plans')).status).toBe(303);
        const before = t.platform.plans.require('reclicked');

        const res = await postForm(admin, '/admin/plans/reclicked', { ...form, limit_items: '9' }, '/admin/plans');

        expect(res.status).toBe(409);
        expect(t.platform.plans.require('reclicked')).toEqual(before);
        expect(planUpdates('reclicked')).toHaveLength(1);
      });

      it("answers both sends of a tenant's plan and overrides form as a save, one after the other and at once, with one change of each recorded", async () => {
        for (const [slug, together] of [
          ['clicker', false],
          ['clicker-at-once', true],
        ] as const) {
          const tenant = await makeTenant(t.platform, slug);
          const revision = await revisionOfPage(`/admin/tenants/${slug}`, `/admin/tenants/${slug}/plan`);
          const send = () =>
            postForm(admin, `/admin/tenants/${slug}/plan`, { plan: 'small', limit_items: '8', feature_api: 'on', revision }, `/admin/tenants/${slug}`);
          const answers = together ? await Promise.all([send(), send()]) : [await send(), await send()];

          expect(answers.map((res) => res.status)).toEqual([303, 303]);
          expect(answers[1].headers.location).toBe(answers[0].headers.location);
          expect(t.platform.planBook.entitlementsOf(tenant.id)).toMatchObject({ plan: { key: 'small' }, limits: { items: 8 }, features: { api: true } });
          expect(
            tenantTrail(tenant)
              .map((r) => r.action)
              .sort(),
          ).toEqual(['tenant.overrides', 'tenant.plan']);
        }
      });

      it("still refuses (409) a tenant's form sent again on the old revision that would change its plan or an override, writing nothing", async () => {
        const tenant = await makeTenant(t.platform, 'reclicker');
        const revision = await revisionOfPage('/admin/tenants/reclicker', '/admin/tenants/reclicker/plan');
        const form = { plan: 'small', limit_items: '8', revision };
        expect((await postForm(admin, '/admin/tenants/reclicker/plan', form, '/admin/tenants/reclicker')).status).toBe(303);
        const before = t.platform.plans.tenantPlan(tenant.id);
        const trail = tenantTrail(tenant);

        for (const changed of [
          { ...form, plan: 'default' },
          { ...form, limit_items: '9' },
        ]) {
          const res = await postForm(admin, '/admin/tenants/reclicker/plan', changed, '/admin/tenants/reclicker');
          expect(res.status).toBe(409);
          expect(t.platform.plans.tenantPlan(tenant.id)).toEqual(before);
          expect(tenantTrail(tenant)).toEqual(trail);
        }
      });
    });
  });
});
