import type { Page } from 'playwright-core';
import { startBrowserSession, type BrowserSession } from './support/browser-session';
import { addMember, makeTenant, makeUser } from '../support/factories';

/**
 * The main journey in a real browser: an agency user with two clients prepares an item,
 * the client's approver approves it, the agency schedules it; the client's viewer only reads.
 */
describe('in a real browser', () => {
  let s: BrowserSession;
  let itemPath = '';
  const submitIn = async (page: Page, formAction: string) => {
    await Promise.all([page.waitForLoadState('load'), page.click(`main form[action$="${formAction}"] button[type=submit]`)]);
  };

  beforeAll(async () => {
    s = await startBrowserSession();
    const acme = await makeTenant(s.t.platform, 'acme', 'Acme Studio');
    const globex = await makeTenant(s.t.platform, 'globex', 'Globex Corp');
    const agency = await makeUser(s.t.platform, { email: 'agency@example.com', name: 'Avery Agency' });
    await addMember(s.t.platform, agency, acme, 'admin');
    await addMember(s.t.platform, agency, globex, 'editor');
    const approver = await makeUser(s.t.platform, { email: 'client@example.com', name: 'Casey Client' });
    await addMember(s.t.platform, approver, acme, 'approver');
    const viewer = await makeUser(s.t.platform, { email: 'viewer@example.com', name: 'Vic Viewer' });
    await addMember(s.t.platform, viewer, acme, 'viewer');
    await makeUser(s.t.platform, { email: 'root@example.com', name: 'Sam Super', superAdmin: true });
  }, 60000);
  afterAll(() => s?.close());

  it('lets the agency sign in, switch tenant from the header, create an item and submit it', async () => {
    const page = await s.newPage();
    await page.goto('/login');
    await s.screenshot(page, 'sign-in');
    await s.signIn(page, 'agency@example.com');
    await page.goto('/tenants');
    await Promise.all([page.waitForURL('**/t/acme'), page.click('main >> text=Acme Studio')]);

    await page.click('.switcher summary');
    await Promise.all([page.waitForURL('**/t/globex'), page.click('.switcher button:has-text("Globex Corp")')]);
    expect(await page.textContent('.tenant-nav')).toContain('Editor');
    await page.click('.switcher summary');
    await Promise.all([page.waitForURL('**/t/acme'), page.click('.switcher button:has-text("Acme Studio")')]);

    await page.goto('/t/acme/items/new');
    await page.fill('#title', 'Spring campaign post');
    await page.fill('#body', 'Fresh colours for the spring collection.');
    await Promise.all([page.waitForURL(/\/t\/acme\/items\/\d+$/), page.click('main form button[type=submit]')]);
    itemPath = new URL(page.url()).pathname;
    await submitIn(page, '/submit');
    expect(await page.textContent('main')).toContain('In review');

    await page.goto('/t/globex/items');
    expect(await page.textContent('main')).not.toContain('Spring campaign post');
    await page.context().close();
  }, 60000);

  it('lets the client approver approve the item', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'client@example.com');
    await page.goto(itemPath);
    await submitIn(page, '/approve');
    expect(await page.textContent('main')).toContain('Approved');
    await s.screenshot(page, 'item-approved');
    await page.context().close();
  }, 60000);

  it('lets the agency schedule the approved item', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'agency@example.com');
    await page.goto(itemPath);
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 16);
    await page.fill('main form[action$="/schedule"] input[name=publish_at]', tomorrow);
    await submitIn(page, '/schedule');
    expect(await page.textContent('main')).toContain('Scheduled');
    await page.goto('/t/acme');
    expect(await page.textContent('main')).toContain('Spring campaign post');
    await s.screenshot(page, 'dashboard');
    await page.context().close();
  }, 60000);

  it('shows the client viewer no action buttons', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'viewer@example.com');
    for (const path of ['/t/acme/items', itemPath]) {
      await page.goto(path);
      expect(await page.locator('main form[method=post]').count()).toBe(0);
      expect(await page.locator('main a.button').count()).toBe(0);
    }
    await page.context().close();
  }, 60000);

  it('shows the super admin the tenant fleet', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'root@example.com');
    await page.goto('/admin/tenants');
    expect(await page.textContent('main')).toContain('Globex Corp');
    await s.screenshot(page, 'admin-tenants');
    await page.context().close();
  }, 60000);
});
