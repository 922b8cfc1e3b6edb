import { startBrowserSession, type BrowserSession } from './support/browser-session';
import { addMember, makeTenant, makeUser } from '../support/factories';

/** The main journeys, in a real browser: an agency user with two clients, and a client's viewer. */
describe('in a real browser', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await startBrowserSession();
    const acme = await makeTenant(s.t.platform, 'acme', 'Acme Studio');
    const globex = await makeTenant(s.t.platform, 'globex', 'Globex Corp');
    const agency = await makeUser(s.t.platform, { email: 'agency@example.com', name: 'Avery Agency' });
    await addMember(s.t.platform, agency, acme, 'admin');
    await addMember(s.t.platform, agency, globex, 'editor');
    const viewer = await makeUser(s.t.platform, { email: 'viewer@example.com', name: 'Vic Viewer' });
    await addMember(s.t.platform, viewer, acme, 'viewer');
  }, 60000);
  afterAll(() => s?.close());

  it('signs in, switches tenant from the header, and creates an item', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'agency@example.com');
    await page.goto('/tenants');
    await s.screenshot(page, 'workspaces');
    await Promise.all([page.waitForURL('**/t/acme'), page.click('main >> text=Acme Studio')]);
    expect(new URL(page.url()).pathname).toBe('/t/acme');

    await page.click('.switcher summary');
    await Promise.all([page.waitForURL('**/t/globex'), page.click('.switcher a[href="/t/globex"]')]);
    expect(await page.textContent('.tenant-nav')).toContain('Editor');

    await page.goto('/t/globex/items/new');
    await page.fill('#title', 'Spring campaign post');
    await page.fill('#body', 'Hello spring');
    await Promise.all([page.waitForURL(/\/t\/globex\/items\/\d+$/), page.click('main button[type=submit]')]);
    expect(await page.textContent('h1')).toContain('Spring campaign post');
    await s.screenshot(page, 'item');

    await page.goto('/t/acme/items');
    expect(await page.textContent('main')).not.toContain('Spring campaign post');
    await page.context().close();
  }, 60000);

  it('shows a viewer no action buttons', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'viewer@example.com');
    await page.goto('/t/acme/items');
    expect(await page.locator('main form[method=post]').count()).toBe(0);
    expect(await page.locator('main a.button').count()).toBe(0);
    await page.context().close();
  });
});
