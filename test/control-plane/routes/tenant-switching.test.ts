import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../../support/factories';
import { csrfFrom, postForm, signIn } from '../../support/http-agent';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { resumeTenant, suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { takeOffline } from '../../../control-plane/backups/take-offline';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';

describe('switching tenants', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let charlie: TenantRecord;
  let alice: UserRecord;

  /** Signs in and returns where the sign-in sent the user. */
  async function landing(email: string): Promise<string> {
    const browser = request.agent(app);
    const _csrf = await csrfFrom(browser, '/login');
    const res = await browser.post('/login').type('form').send({ email, password: TEST_PASSWORD, _csrf });
    expect(res.status).toBe(302);
    return res.headers.location;
  }

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha', 'Alpha Studio');
    bravo = await makeTenant(t.platform, 'bravo', 'Bravo Works');
    charlie = await makeTenant(t.platform, 'charlie', 'Charlie Co');
    alice = await makeUser(t.platform, { email: 'alice@example.com' });
    await addMember(t.platform, alice, alpha, 'owner');
    await addMember(t.platform, alice, bravo, 'editor');
  });
  afterEach(() => t.cleanup());

  it("lists the user's own tenants in the header switcher and marks the current one", async () => {
    const agent = await signIn(app, alice.email);
    const page = (await agent.get('/t/bravo')).text;
    const switcher = page.slice(page.indexOf('class="switcher"'), page.indexOf('</nav>', page.indexOf('class="switcher"')));
    // Each entry is a small POST form (switching changes where the user lands next).
    expect(switcher).toMatch(
      /<form method="post" action="\/tenants\/switch" class="switch">[\s\S]*?name="tenant" value="alpha">\s*<button type="submit" class="link">Alpha Studio/,
    );
    expect(switcher).toMatch(/name="tenant" value="bravo">\s*<button type="submit" class="link" aria-current=page>Bravo Works/);
    expect(switcher).not.toContain('Charlie Co');
    expect(switcher.match(/aria-current/g)).toHaveLength(1);
  });

  it('remembers the last tenant switched to and lands there after the next sign-in', async () => {
    const agent = await signIn(app, alice.email);
    const res = await postForm(agent, '/tenants/switch', { tenant: 'bravo' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/t/bravo');
    expect(t.platform.users.findById(alice.id)?.last_tenant_id).toBe(bravo.id);
    expect(await landing(alice.email)).toBe('/t/bravo');
  });

  it('does not change where the user lands when a page is merely opened (GET)', async () => {
    const agent = await signIn(app, alice.email);
    await postForm(agent, '/tenants/switch', { tenant: 'alpha' });
    await agent.get('/t/bravo/items');
    expect(t.platform.users.findById(alice.id)?.last_tenant_id).toBe(alpha.id);
    expect(await landing(alice.email)).toBe('/t/alpha');
  });

  it('lands on the default tenant chosen on the account page rather than the last used', async () => {
    const agent = await signIn(app, alice.email);
    await postForm(agent, '/tenants/switch', { tenant: 'bravo' });
    const res = await postForm(agent, '/account/default-tenant', { default_tenant_id: alpha.id }, '/account');
    expect(res.status).toBe(303);
    expect(await landing(alice.email)).toBe('/t/alpha');
  });

  it('falls back to the last used tenant when the default is no longer open to the user', async () => {
    await t.platform.users.update(alice.id, { default_tenant_id: alpha.id, last_tenant_id: bravo.id });
    await t.platform.tenants.update(alpha.id, { status: 'suspended' });
    expect(await landing(alice.email)).toBe('/t/bravo');
  });

  it('lands a member whose workspaces are all closed for now on the notice of the one they chose, and lists them as closed, not as none', async () => {
    await t.platform.users.update(alice.id, { default_tenant_id: bravo.id });
    suspendTenant(t.platform, alpha.id, { reason: 'Invoice 2024-117 is unpaid' }, CLI_OPERATOR);
    suspendTenant(t.platform, bravo.id, { reason: 'Invoice 2024-118 is unpaid' }, CLI_OPERATOR);
    expect(await landing(alice.email)).toBe('/t/bravo');
    const agent = await signIn(app, alice.email);
    const notice = await agent.get('/t/bravo');
    expect(notice.status).toBe(403);
    expect(notice.text).toContain('Invoice 2024-118 is unpaid');

    const list = (await agent.get('/tenants')).text;
    expect(list).not.toContain('You are not a member of any workspace');
    expect(list).toContain('<a href="/t/alpha">Alpha Studio is suspended</a>');
    expect(list).toContain('<a href="/t/bravo">Bravo Works is suspended</a>');
    expect(list).not.toContain('Charlie Co');

    // Without a choice among several, the list; with only one, its notice.
    await t.platform.users.update(alice.id, { default_tenant_id: null });
    expect(await landing(alice.email)).toBe('/tenants');
    const membership = t.platform.memberships.findMemberOfUser(alice.id, alpha.id);
    t.platform.memberships.markRemoved(membership?.membership_id as number, alpha.id);
    expect(await landing(alice.email)).toBe('/t/bravo');

    // Offline for seconds while a backup is restored: its 503, which says it is coming back.
    resumeTenant(t.platform, bravo.id, CLI_OPERATOR);
    takeOffline(t.platform, bravo.id, { actorUserId: null, reason: 'restoring a backup', auditAction: 'tenant.restore.started' });
    expect(await landing(alice.email)).toBe('/t/bravo');
    const offline = await agent.get('/t/bravo');
    expect(offline.status).toBe(503);
    expect((await agent.get('/tenants')).text).toContain('<a href="/t/bravo">Bravo Works is unavailable</a>');
  });

  it('never lands on a tenant the user is not a member of, whatever the stored preferences say', async () => {
    await t.platform.users.update(alice.id, { default_tenant_id: charlie.id, last_tenant_id: charlie.id });
    expect(await landing(alice.email)).toBe('/tenants');
  });

  it('refuses a foreign tenant as default through the form field with 400, and changes nothing', async () => {
    const agent = await signIn(app, alice.email);
    const res = await postForm(agent, '/account/default-tenant', { default_tenant_id: charlie.id }, '/account');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Default workspace must be one of your workspaces');
    expect(t.platform.users.findById(alice.id)?.default_tenant_id).toBeNull();
    expect(await landing(alice.email)).toBe('/tenants');
  });
});
