import type { Page } from 'playwright-core';
import { startBrowserSession, type BrowserSession } from './support/browser-session';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { makeItem } from '../support/content';

/**
 * The super admin's console in a real browser: the dashboard, a tenant's page, suspending it
 * (its member sees the notice), archiving it by typing its slug and restoring it as it was.
 */
describe('the console in a real browser', () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await startBrowserSession();
    const acme = await makeTenant(s.t.platform, 'acme', 'Acme Studio');
    await makeTenant(s.t.platform, 'globex', 'Globex Corp');
    await makeTenant(s.t.platform, 'initech', 'Initech');
    const owner = await makeUser(s.t.platform, { email: 'olive@acme.test', name: 'Olive Owner' });
    await addMember(s.t.platform, owner, acme, 'owner');
    await addMember(s.t.platform, await makeUser(s.t.platform, { email: 'ed@acme.test', name: 'Ed Editor' }), acme, 'editor');
    await makeItem(s.t.platform, acme, { title: 'Spring campaign post' });
    await makeUser(s.t.platform, { email: 'root@example.com', name: 'Sam Super', superAdmin: true });
  }, 60000);
  afterAll(() => s?.close());

  const submit = async (page: Page, action: string) => {
    await Promise.all([page.waitForLoadState('load'), page.click(`main form[action$="/${action}"] button[type=submit]`)]);
  };

  it('shows the dashboard and a tenant page with its members, history and lifecycle', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'root@example.com');
    await page.goto('/admin');
    expect(await page.textContent('main')).toContain('Connection router');
    expect(await page.textContent('.tenant-statuses')).toContain('active');
    await s.screenshot(page, 'admin-dashboard');

    await page.goto('/admin/tenants');
    await Promise.all([page.waitForURL('**/admin/tenants/acme'), page.click('main a[href="/admin/tenants/acme"]')]);
    const main = await page.textContent('main');
    for (const text of ['Acme Studio', 'Olive Owner', 'Ed Editor', 'Status history', 'Backups', 'No backups yet.', 'Recent audit entries'])
      expect(main).toContain(text);
    await s.screenshot(page, 'admin-tenant-detail');
    await page.context().close();
  }, 60000);

  it('suspends a tenant with a reason; its member sees the notice, then it is resumed', async () => {
    const admin = await s.newPage();
    await s.signIn(admin, 'root@example.com');
    await admin.goto('/admin/tenants/acme');
    await admin.fill('#reason', 'The March invoice is unpaid');
    await submit(admin, 'suspend');
    expect(await admin.textContent('main')).toContain('The tenant is suspended');

    const member = await s.newPage();
    await s.signIn(member, 'ed@acme.test');
    const answer = await member.goto('/t/acme/items');
    expect(answer?.status()).toBe(403);
    expect(await member.textContent('main')).toContain('The March invoice is unpaid');
    expect(await member.textContent('main')).toContain('Olive Owner');
    await s.screenshot(member, 'tenant-suspended');

    await submit(admin, 'resume');
    expect((await member.goto('/t/acme/items'))?.status()).toBe(200);
    await admin.context().close();
    await member.context().close();
  }, 60000);

  it('archives a tenant only once its slug is typed, and restores it with everything back', async () => {
    const admin = await s.newPage();
    await s.signIn(admin, 'root@example.com');
    await admin.goto('/admin/tenants/acme');
    await admin.fill('#confirm', 'acme-studio');
    await submit(admin, 'archive');
    expect(await admin.textContent('.alert')).toContain("must be the tenant's slug (acme) to confirm");
    expect(s.t.platform.tenants.findBySlug('acme')?.status).toBe('active');

    await admin.fill('#confirm', 'acme');
    await admin.fill('#note', 'Contract ended in March');
    await submit(admin, 'archive');
    expect(await admin.textContent('main')).toContain('Restorable until');
    await s.screenshot(admin, 'admin-tenant-archived');

    const member = await s.newPage();
    await s.signIn(member, 'ed@acme.test');
    expect((await member.goto('/t/acme'))?.status()).toBe(404);

    await submit(admin, 'restore');
    expect(await admin.textContent('main')).toContain('The tenant is restored as it was.');
    expect((await member.goto('/t/acme/items'))?.status()).toBe(200);
    expect(await member.textContent('main')).toContain('Spring campaign post');
    await admin.context().close();
    await member.context().close();
  }, 60000);

  it("selects a new tenant's invitation link whole when it is clicked, without a script the site's policy refuses", async () => {
    const page = await s.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await s.signIn(page, 'root@example.com');
    await page.goto('/admin/tenants/new');
    await page.fill('#name', 'Hooli');
    await page.fill('#slug', 'hooli');
    await page.fill('#owner_email', 'gavin@hooli.test');
    await page.click('main form[action="/admin/tenants"] button[type=submit]');
    const link = page.locator('main input.copy');
    await link.waitFor();
    const url = await link.inputValue();
    expect(url).toMatch(/\/invitations\/[\w-]{20,}$/);

    await link.click();
    expect(await link.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd])).toEqual([0, url.length]);
    expect(refused).toEqual([]);
    await page.context().close();
  }, 60000);
});
