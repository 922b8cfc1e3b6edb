import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import { createApp } from '../../app/create-app';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { bringBack, takeOffline } from '../../control-plane/backups/take-offline';
import { damage } from '../support/damage';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { undoNewestRealMigration } from '../support/migrations-folder';
import * as openTenantFileModule from '../../tenant-runtime/open-tenant-file';
import { saveWorkspaceSettings } from '../support/workspace-settings';

describe("a workspace that cannot be opened speaks the workspace's language", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let owner: Agent;
  let editor: Agent;
  let outsider: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    const globex = await makeTenant(t.platform, 'globex', 'Globex');
    const ownerUser = await makeUser(t.platform, { email: 'owner@acme.test' });
    await addMember(t.platform, ownerUser, acme, 'owner');
    const editorUser = await makeUser(t.platform, { email: 'editor@acme.test' });
    await addMember(t.platform, editorUser, acme, 'editor');
    const outsiderUser = await makeUser(t.platform, { email: 'someone@globex.test' });
    await addMember(t.platform, outsiderUser, globex, 'owner');
    owner = await signIn(app, ownerUser.email);
    editor = await signIn(app, editorUser.email);
    outsider = await signIn(app, outsiderUser.email);
    const saved = await saveWorkspaceSettings(owner, 'acme', { display_name: 'Acme Studio', language: 'fr' });
    expect(saved.status).toBe(303);
  });
  afterEach(() => t.cleanup());

  it('while it is being restored, to a member who chose no language, whatever the browser asks', async () => {
    takeOffline(t.platform, acme.id, { actorUserId: null, reason: 'restoring a backup', auditAction: 'tenant.restore.started' });
    const opens = jest.spyOn(openTenantFileModule, 'openTenantFile');
    const res = await editor.get('/t/acme/items').set('Accept-Language', 'en-GB,en;q=0.9');
    opens.mockRestore();
    expect(res.status).toBe(503);
    expect(res.text).toMatch(/<html lang="fr"/);
    expect(res.text).toContain('Cet espace de travail est en cours de restauration');
    // Its file is not opened for it: it is being replaced.
    expect(opens).not.toHaveBeenCalled();
  });

  it('while it is marked damaged, and on the request that finds its file damaged', async () => {
    damage(t.platform, acme, 'a garbage file');
    const found = await editor.get('/t/acme/items').set('Accept-Language', 'en');
    expect(found.status).toBe(503);
    expect(found.text).toMatch(/<html lang="fr"/);
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('damaged');
    const later = await editor.get('/t/acme/items').set('Accept-Language', 'en');
    expect(later.status).toBe(503);
    expect(later.text).toMatch(/<html lang="fr"/);
    expect(later.text).toContain('Acme Studio est indisponible');
  });

  it('while its file waits for its migration (being updated)', async () => {
    t.platform.router.closeTenant(acme.id);
    await undoNewestRealMigration(tenantPaths(t.dataDir, acme.id).database);
    const res = await editor.get('/t/acme/items').set('Accept-Language', 'en');
    expect(res.status).toBe(503);
    expect(res.text).toMatch(/<html lang="fr"/);
    expect(res.text).toContain('en cours de mise à jour');
  });

  it("after a language change cut off between the tenant's commit and the control plane, once the file is opened again", async () => {
    expect(t.platform.tenants.findById(acme.id)?.language).toBe('fr');
    // The process dies right after the tenant's commit, before the control plane hears the new language.
    const keep = t.platform.tenants.keepSettingsCopies.bind(t.platform.tenants);
    jest.spyOn(t.platform.tenants, 'keepSettingsCopies').mockImplementation((id, copies) => {
      if (copies !== null) throw new Error('killed');
      keep(id, copies);
    });
    await saveWorkspaceSettings(owner, 'acme', { display_name: 'Acme Studio', language: 'en' });
    jest.restoreAllMocks();
    // Never left saying French: unknown until the file is read.
    expect(t.platform.tenants.findById(acme.id)?.language).toBeNull();
    t.platform.router.closeTenant(acme.id);
    expect((await editor.get('/t/acme/items')).status).toBe(200);
    expect(t.platform.tenants.findById(acme.id)?.language).toBe('en');
  });

  it('is read from the file again after a restore replaced its data', () => {
    takeOffline(t.platform, acme.id, { actorUserId: null, reason: 'restoring a backup', auditAction: 'tenant.restore.started' });
    bringBack(t.platform, acme.id, { actorUserId: null, auditAction: 'tenant.restore.finished', replaced: true });
    expect(t.platform.tenants.findById(acme.id)?.language).toBeNull();
  });

  it("in the member's own language when they chose one, and never to someone who is no member", async () => {
    takeOffline(t.platform, acme.id, { actorUserId: null, reason: 'restoring a backup', auditAction: 'tenant.restore.started' });
    expect((await postForm(editor, '/account/language', { language: 'en' }, '/account')).status).toBe(303);
    const own = await editor.get('/t/acme/items').set('Accept-Language', 'fr');
    expect(own.status).toBe(503);
    expect(own.text).toMatch(/<html lang="en"/);
    const unknown = await outsider.get('/t/no-such-tenant').set('Accept-Language', 'en');
    const stranger = await outsider.get('/t/acme').set('Accept-Language', 'en');
    expect(stranger.status).toBe(404);
    expect(stranger.text).toBe(unknown.text);
  });
});
