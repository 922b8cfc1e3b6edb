import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { loadTenantSettings } from '../../../workspace/settings/tenant-settings';
import { inTenant } from '../../support/content';
import { FIXTURES, uploadFile } from '../files/file-fixtures';

/** A settings form refused as it stands (a plan's limit) is said on the settings page, not on the generic error page. */
describe('a refused settings form', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let owner: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, acme, 'owner');
    owner = await signIn(app, user.email);
  });
  afterEach(() => t.cleanup());

  it("answers a logo past the plan's storage limit (403) on the settings page with the limit and whom to ask, keeping no logo", async () => {
    t.platform.plans.setTenantOverrides(acme.id, { limits: { storage_bytes: 1 } });
    const res = await uploadFile(owner, '/t/acme/settings/logo', 'logo', FIXTURES.png, 'logo.png', 'image/png');
    expect(res.status).toBe(403);
    expect(res.text).toContain('<h1>Settings</h1>');
    expect(res.text).toContain('<div class="alert" role="alert">\n    <p>Limit reached: Storage.');
    expect(res.text).toContain('Ask the platform&#39;s administrators to raise it.');
    expect(await inTenant(t.platform, acme, (db) => loadTenantSettings(db, acme.name).logo)).toBeNull();
  });
});
