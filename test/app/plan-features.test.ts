import type { Express } from 'express';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { makeCustomRole, membershipOf, roleId, roleKeyOf } from '../support/team';
import { postForm, signIn, type Agent } from '../support/http-agent';
import { bearer, personalToken } from '../support/api-tokens';
import { inTenant, makeItem } from '../support/content';
import { saveTenantSettings } from '../../workspace/settings/tenant-settings';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../control-plane/users/user-record';
import type { FeatureKey } from '../../tenant-runtime/plan-catalogue';

/** Each feature flag turned off for one tenant: its UI is hidden and its routes refused (404 pages, 403 feature_disabled JSON). */
describe('feature flags', () => {
  let t: TestPlatform;
  let app: Express;
  let n = 0;
  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
  });
  afterAll(() => t.cleanup());

  async function without(
    feature: FeatureKey,
  ): Promise<{ tenant: TenantRecord; user: UserRecord; owner: Agent; base: string; api: (path: string) => request.Test }> {
    const tenant = await makeTenant(t.platform, `feat${++n}`, `Feature ${n}`);
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, tenant, 'owner');
    t.platform.plans.setTenantOverrides(tenant.id, { features: { [feature]: false } });
    return {
      tenant,
      user,
      owner: await signIn(app, user.email),
      base: `/t/${tenant.slug}`,
      api: (path) =>
        request(app)
          .get(`/api/v1/t/${tenant.slug}${path}`)
          .set(bearer(personalToken(t.platform, user))),
    };
  }

  it('csv: no import or export links, and the import and export routes answer 404', async () => {
    const { owner, base } = await without('csv');
    const items = await owner.get(`${base}/items`);
    expect(items.status).toBe(200);
    expect(items.text).not.toContain(`${base}/items/import`);
    expect(items.text).not.toContain(`${base}/items.csv`);
    expect((await owner.get(`${base}/items/import`)).status).toBe(404);
    expect((await owner.get(`${base}/items.csv`)).status).toBe(404);
  });

  it('custom_roles: no roles link, and the role pages answer 404', async () => {
    const { owner, base } = await without('custom_roles');
    expect((await owner.get(`${base}/items`)).text).not.toContain(`href="${base}/roles"`);
    expect((await owner.get(`${base}/roles`)).status).toBe(404);
    expect((await postForm(owner, `${base}/roles`, { name: 'Helper', description: '', permissions: 'content.view' })).status).toBe(404);
  });

  it('custom_roles: an existing custom role is no longer offered or given, by form or by a forged role id', async () => {
    const { tenant, owner, base } = await without('custom_roles');
    const helper = makeCustomRole(t.platform, tenant, 'Helper', ['content.view']);
    const vera = await makeUser(t.platform);
    await addMember(t.platform, vera, tenant, 'viewer');
    const membership = membershipOf(t.platform, vera, tenant);

    const members = await owner.get(`${base}/members`);
    expect(members.status).toBe(200);
    expect(members.text).toContain(`value="${roleId(t.platform, 'editor')}"`);
    expect(members.text).not.toContain(`value="${helper}"`);
    const invitations = await owner.get(`${base}/invitations`);
    expect(invitations.text).not.toContain(`value="${helper}"`);

    const change = await postForm(owner, `${base}/members/${membership.membership_id}/role`, { role_id: String(helper) }, `${base}/members`);
    expect(change.status).toBe(400);
    expect(change.text).toContain('must be one of the roles offered');
    expect(roleKeyOf(t.platform, vera, tenant)).toBe('viewer');

    const invite = await postForm(owner, `${base}/invitations`, { emails: 'new@example.com', role_id: String(helper) }, `${base}/invitations`);
    expect(invite.status).toBe(400);
    expect(t.platform.invitations.pageForTenant(tenant.id, 1)).toEqual([]);

    t.platform.plans.setTenantOverrides(tenant.id, { features: { custom_roles: true } });
    expect((await owner.get(`${base}/members`)).text).toContain(`value="${helper}"`);
    expect((await postForm(owner, `${base}/members/${membership.membership_id}/role`, { role_id: String(helper) }, `${base}/members`)).status).toBe(303);
  });

  it('scheduling: no schedule button, the page route answers 404 and the API 403 feature_disabled', async () => {
    const { tenant, user, owner, base } = await without('scheduling');
    const item = await makeItem(t.platform, tenant, { status: 'approved' });
    const page = await owner.get(`${base}/items/${item.id}`);
    expect(page.text).not.toContain(`${base}/items/${item.id}/schedule`);
    expect(page.text).toContain(`${base}/items/${item.id}/publish`);
    expect((await postForm(owner, `${base}/items/${item.id}/schedule`, { publish_at: '2031-01-01T09:00' })).status).toBe(404);
    const viaApi = await request(app)
      .post(`/api/v1/t/${tenant.slug}/items/${item.id}/schedule`)
      .set(bearer(personalToken(t.platform, user)))
      .send({ publish_at: '2031-01-01T09:00:00Z' });
    expect(viaApi.status).toBe(403);
    expect(viaApi.body).toMatchObject({ code: 'feature_disabled' });
    expect(await inTenant(t.platform, tenant, (db) => db.get<{ status: string }>('select status from items where id = ?', [item.id])?.status)).toBe('approved');
  });

  it('attachments: no attachments section, the upload answers 404 and the API 403 feature_disabled', async () => {
    const { tenant, owner, base, api } = await without('attachments');
    const item = await makeItem(t.platform, tenant);
    const page = await owner.get(`${base}/items/${item.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('id="attachments"');
    expect((await postForm(owner, `${base}/items/${item.id}/attachments`, {})).status).toBe(404);
    const res = await api(`/items/${item.id}/attachments`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'feature_disabled' });
  });

  it('branding: no display name, colour or logo fields, the logo route answers 404, and the workspace shows its own name', async () => {
    const { tenant, owner, base } = await without('branding');
    await inTenant(t.platform, tenant, (db) => saveTenantSettings(db, { displayName: 'White Label Co', accentColor: '#112233' }));
    const page = await owner.get(`${base}/settings`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('name="display_name"');
    expect(page.text).not.toContain('name="logo"');
    expect(page.text).not.toContain('White Label Co');
    expect((await owner.get(`${base}/settings/logo`)).status).toBe(404);
    // Posting the white-label fields anyway changes nothing of them.
    const res = await postForm(owner, `${base}/settings`, { display_name: 'Sneaky', accent_color: '#ff0000', time_zone: 'UTC', language: 'en' });
    expect(res.status).toBe(303);
    expect(
      await inTenant(t.platform, tenant, (db) => db.all('select key, value from settings where key in (?, ?) order by key', ['accent_color', 'display_name'])),
    ).toEqual([
      { key: 'accent_color', value: '"#112233"' },
      { key: 'display_name', value: '"White Label Co"' },
    ]);
  });

  it('api: no API tokens link, the token pages answer 404, and every API route 403 feature_disabled', async () => {
    const { owner, base, api } = await without('api');
    expect((await owner.get(`${base}/items`)).text).not.toContain(`href="${base}/tokens"`);
    expect((await owner.get(`${base}/tokens`)).status).toBe(404);
    const res = await api('/items');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'feature_disabled' });
  });

  it('turned on again, applies from the next request', async () => {
    const { tenant, owner, base } = await without('custom_roles');
    expect((await owner.get(`${base}/roles`)).status).toBe(404);
    t.platform.plans.setTenantOverrides(tenant.id, { features: {} });
    expect((await owner.get(`${base}/roles`)).status).toBe(200);
  });
});
