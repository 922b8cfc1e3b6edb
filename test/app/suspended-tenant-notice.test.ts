import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import { createApp } from '../../app/create-app';
import { resumeTenant, suspendTenant } from '../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../control-plane/lifecycle/operator';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { inTenant } from '../support/content';
import { saveTenantSettings } from '../../workspace/settings/tenant-settings';
import * as openTenantFileModule from '../../tenant-runtime/open-tenant-file';
import { saveWorkspaceSettings } from '../support/workspace-settings';

describe('a suspended tenant', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let editor: Agent;
  let outsider: Agent;

  beforeEach(async () => {
    t = await createTestPlatform({ SUPPORT_CONTACT: 'support@agency.test' });
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    const globex = await makeTenant(t.platform, 'globex', 'Globex');
    await addMember(t.platform, await makeUser(t.platform, { email: 'owner@acme.test', name: 'Olive Owner' }), acme, 'owner');
    const editorUser = await makeUser(t.platform, { email: 'editor@acme.test' });
    await addMember(t.platform, editorUser, acme, 'editor');
    const outsiderUser = await makeUser(t.platform, { email: 'someone@globex.test' });
    await addMember(t.platform, outsiderUser, globex, 'owner');
    editor = await signIn(app, editorUser.email);
    outsider = await signIn(app, outsiderUser.email);
    suspendTenant(t.platform, acme.id, { reason: 'Invoice 2024-117 is unpaid', until: '2099-03-01 09:00' }, CLI_OPERATOR);
  });
  afterEach(() => t.cleanup());

  it('shows its members a page saying it is suspended, why, until when and whom to contact', async () => {
    for (const path of ['/t/acme', '/t/acme/items', '/t/acme/items/1']) {
      const res = await editor.get(path);
      expect(res.status).toBe(403);
      expect(res.text).toContain('Acme Studio is suspended');
      expect(res.text).toContain('Invoice 2024-117 is unpaid');
      expect(res.text).toContain('2099-03-01 09:00 UTC');
      expect(res.text).toContain('support@agency.test');
      expect(res.text).toContain('Olive Owner &lt;owner@acme.test&gt;');
    }
  });

  it("speaks the workspace's language to a member who chose none, whatever the browser asks, and the member's own to one who did", async () => {
    resumeTenant(t.platform, acme.id, CLI_OPERATOR);
    const owner = await signIn(app, 'owner@acme.test');
    const saved = await saveWorkspaceSettings(owner, 'acme', { display_name: 'Acme Studio', language: 'fr' });
    expect(saved.status).toBe(303);
    suspendTenant(t.platform, acme.id, { reason: 'Invoice 2024-117 is unpaid' }, CLI_OPERATOR);
    const res = await editor.get('/t/acme/items').set('Accept-Language', 'en-GB,en;q=0.9');
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/<html lang="fr"/);
    expect(res.text).toContain('Acme Studio est suspendu');
    expect(res.text).toMatch(/<title>Acme Studio est suspendu\. · /);
    expect(res.text).toContain('Vos autres espaces de travail');
    // Read without keeping the suspended workspace open, and kept: the next views open no file.
    expect(t.platform.router.isOpen(acme.id)).toBe(false);
    const opens = jest.spyOn(openTenantFileModule, 'openTenantFile');
    expect((await editor.get('/t/acme').set('Accept-Language', 'en')).text).toMatch(/<html lang="fr"/);
    expect(opens).not.toHaveBeenCalled();
    opens.mockRestore();

    expect((await postForm(editor, '/account/language', { language: 'en' }, '/account')).status).toBe(303);
    const own = await editor.get('/t/acme/items').set('Accept-Language', 'fr');
    expect(own.text).toContain('Acme Studio is suspended');
  });

  it("reads the workspace's language from its file while the control plane does not know it (a change cut off between the two)", async () => {
    resumeTenant(t.platform, acme.id, CLI_OPERATOR);
    await inTenant(t.platform, acme, (db) => saveTenantSettings(db, { language: 'fr' }));
    t.platform.tenants.keepSettingsCopies(acme.id, null);
    suspendTenant(t.platform, acme.id, { reason: 'Invoice 2024-117 is unpaid' }, CLI_OPERATOR);
    const res = await editor.get('/t/acme/items').set('Accept-Language', 'en-GB,en;q=0.9');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Acme Studio est suspendu');
    expect(t.platform.router.isOpen(acme.id)).toBe(false);
  });

  it("names the workspace by its display name, as its members know it, not by the super admin's name for it", async () => {
    resumeTenant(t.platform, acme.id, CLI_OPERATOR);
    await inTenant(t.platform, acme, (db) => saveTenantSettings(db, { displayName: 'Acme Works' }));
    t.platform.tenants.keepSettingsCopies(acme.id, { displayName: 'Acme Works', language: 'en' });
    suspendTenant(t.platform, acme.id, { reason: 'Invoice 2024-117 is unpaid' }, CLI_OPERATOR);
    const page = await editor.get('/t/acme/items');
    expect(page.status).toBe(403);
    expect(page.text).toContain('Acme Works is suspended');
    const api = await editor.get('/t/acme/api/items/1');
    expect(api.body.error.notice).toMatchObject({ tenantName: 'Acme Works' });
  });

  it('answers JSON routes with the notice', async () => {
    const res = await editor.get('/t/acme/api/items/1');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'tenant_suspended', notice: { state: 'suspended', reason: 'Invoice 2024-117 is unpaid' } });
  });

  it('is the same 404 as an unknown tenant for everyone else, by URL, switch API and form', async () => {
    const unknown = await outsider.get('/t/no-such-tenant');
    const res = await outsider.get('/t/acme');
    expect(res.status).toBe(404);
    expect(res.text).toBe(unknown.text);
    expect(res.text).not.toMatch(/suspended|Invoice/);
    const api = await outsider.get('/t/acme/api/items/1');
    expect(api.status).toBe(404);
    expect(JSON.stringify(api.body)).not.toMatch(/suspended/);
    const anonymous = await request(app).get('/t/acme/api/items/1');
    expect(anonymous.status).toBe(401);
  });

  it('keeps its members out of writes too, and changes nothing', async () => {
    const page = await outsider.get('/tenants');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const byOutsider = await outsider.post('/t/acme/items').type('form').send({ _csrf: csrf, title: 'x' });
    expect(byOutsider.status).toBe(404);
    const tokenPage = await editor.get('/tenants');
    const token = /name="_csrf" value="([^"]+)"/.exec(tokenPage.text)?.[1] ?? '';
    const byMember = await editor.post('/t/acme/items').type('form').send({ _csrf: token, title: 'x' });
    expect(byMember.status).toBe(403);
    expect(t.platform.router.isOpen(acme.id)).toBe(false);
  });
});
