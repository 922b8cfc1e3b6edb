import { startBrowserSession, type BrowserSession } from './support/browser-session';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { makeItem } from '../support/content';

/**
 * A super admin helps a client in a real browser: finds the user on the users page, impersonates
 * them with a reason, sees the banner on the tenant's pages, and stops.
 */
describe('impersonation in a real browser', () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await startBrowserSession();
    const acme = await makeTenant(s.t.platform, 'acme', 'Acme Studio');
    const globex = await makeTenant(s.t.platform, 'globex', 'Globex Corp');
    const casey = await makeUser(s.t.platform, { email: 'casey@acme.test', name: 'Casey Client' });
    await addMember(s.t.platform, casey, acme, 'approver');
    await addMember(s.t.platform, await makeUser(s.t.platform, { email: 'avery@agency.test', name: 'Avery Agency' }), acme, 'owner');
    await addMember(s.t.platform, await makeUser(s.t.platform, { email: 'gus@globex.test', name: 'Gus Globex' }), globex, 'owner');
    await makeItem(s.t.platform, acme, { title: 'Spring campaign post', status: 'in_review' });
    await makeUser(s.t.platform, { email: 'root@example.com', name: 'Sam Super', superAdmin: true });
  }, 60000);
  afterAll(() => s?.close());

  it('starts from the users page, shows the banner on every tenant page, and stops with its button', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'root@example.com');
    await page.goto('/admin/users');
    expect(await page.textContent('main')).toContain('casey@acme.test');
    await s.screenshot(page, 'admin-users');

    await page.fill('main input[name=q]', 'casey');
    await Promise.all([page.waitForURL('**/admin/users?q=casey**'), page.click('main form.filters button[type=submit]')]);
    await Promise.all([page.waitForURL(/\/admin\/users\/u[0-9a-f]{24}$/), page.click('main table.users a')]);
    await page.fill('#reason', 'Ticket 4711: cannot find the approve button');
    await Promise.all([page.waitForURL('**/t/acme'), page.click('main form[action$="/impersonate"] button[type=submit]')]);

    const banner = page.locator('.access-banner.impersonating');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain('Impersonating Casey Client');
    expect(await page.textContent('.tenant-nav')).toContain('Approver');
    await page.goto('/t/acme/items');
    expect(await banner.isVisible()).toBe(true);
    expect(await page.textContent('main')).toContain('Spring campaign post');
    await s.screenshot(page, 'impersonation-banner');
    await page.goto('/t/globex');
    expect(await page.textContent('main')).toContain('Not found');

    await page.goto('/t/acme');
    await Promise.all([page.waitForURL(/\/admin\/users\/u[0-9a-f]{24}\?done=impersonation-stopped$/), page.click('.access-banner button[type=submit]')]);
    expect(await page.locator('.access-banner.impersonating').count()).toBe(0);
    expect(await page.textContent('main')).toContain('You stopped impersonating this user.');
    expect(await page.textContent('header.top')).toContain('Sam Super');
    await page.context().close();
  }, 60000);
});
