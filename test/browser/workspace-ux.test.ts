import { startBrowserSession, type BrowserSession } from './support/browser-session';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { inTenant, makeItem } from '../support/content';
import { saveTenantSettings } from '../../workspace/settings/tenant-settings';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

/** What a person sees in the workspace: on a phone, when deleting something, and in the workspace's own time zone. */
describe('the workspace in a real browser', () => {
  let s: BrowserSession;
  let acme: TenantRecord;

  beforeAll(async () => {
    s = await startBrowserSession();
    acme = await makeTenant(s.t.platform, 'acme', 'Acme Studio');
    await inTenant(s.t.platform, acme, (db) => saveTenantSettings(db, { timeZone: 'America/New_York' }));
    const owner = await makeUser(s.t.platform, { email: 'owner@example.com', name: 'Olive Owner' });
    await addMember(s.t.platform, owner, acme, 'owner');
    const viewer = await makeUser(s.t.platform, { email: 'viewer@example.com', name: 'Vic Viewer' });
    await addMember(s.t.platform, viewer, acme, 'viewer');
    for (let i = 0; i < 3; i++)
      await makeItem(s.t.platform, acme, {
        title: `A rather long item title number ${i} for a narrow screen`,
        channel: 'newsletter',
        tags: ['spring', 'launch'],
      });
  }, 60000);
  afterAll(() => s?.close());

  it('fits a 390 px phone: the menu opens from a button, tables scroll inside their own box', async () => {
    const page = await s.newPage({ width: 390, height: 844 });
    await s.signIn(page, 'owner@example.com');
    for (const path of ['/t/acme', '/t/acme/items', '/t/acme/members', '/t/acme/audit', '/t/acme/settings']) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
    }
    await page.goto('/t/acme/items');
    expect(await page.isVisible('.tenant-links a[href="/t/acme/members"]')).toBe(false);
    await page.click('.menu-toggle-label');
    expect(await page.isVisible('.tenant-links a[href="/t/acme/members"]')).toBe(true);
    await s.screenshot(page, 'mobile-items');
    await page.context().close();
  }, 60000);

  it('asks before removing a member, and keeps them when the question is dismissed', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'owner@example.com');
    await page.goto('/t/acme/members');
    const remove = page.locator('main tr', { hasText: 'Vic Viewer' }).locator('form[action$="/remove"] button[type=submit]');
    page.once('dialog', (dialog) => void dialog.dismiss());
    await remove.click();
    await page.waitForTimeout(300);
    expect(await page.textContent('main')).toContain('Vic Viewer');
    page.once('dialog', (dialog) => {
      expect(dialog.message()).toContain('Remove Vic Viewer');
      void dialog.accept();
    });
    await Promise.all([page.waitForURL('**/t/acme/members'), remove.click()]);
    expect(await page.textContent('main')).toContain('Vic Viewer was removed from the workspace.');
    await page.context().close();
  }, 60000);

  it("shows and takes times in the workspace's zone", async () => {
    const page = await s.newPage();
    await s.signIn(page, 'owner@example.com');
    await page.goto('/t/acme/items/new');
    await page.fill('#title', 'Evening post');
    await page.fill('#scheduled_at', '2031-07-01T18:00');
    await Promise.all([page.waitForURL(/\/t\/acme\/items\/\d+$/), page.click('main form button[type=submit]')]);
    expect(await page.textContent('main')).toContain('2031-07-01 18:00 GMT-4');
    expect(await page.inputValue('#scheduled_at')).toBe('2031-07-01T18:00');
    await page.context().close();
  }, 60000);

  it('lists on the dashboard what waits for the member, each entry opening the item', async () => {
    const viewer = s.t.platform.users.findByEmail('viewer@example.com');
    await makeItem(s.t.platform, acme, { title: 'Waiting for Olive', status: 'in_review', createdBy: viewer?.id });
    const page = await s.newPage();
    await s.signIn(page, 'owner@example.com');
    await page.goto('/t/acme');
    const waiting = page.locator('section.waiting');
    expect(await waiting.textContent()).toContain('Waiting for Olive');
    await Promise.all([page.waitForURL(/\/t\/acme\/items\/\d+$/), waiting.locator('a', { hasText: 'Waiting for Olive' }).click()]);
    expect(await page.textContent('h1')).toBe('Waiting for Olive');
    await page.context().close();
  }, 60000);

  it("shows a French workspace in French, and a member's own language over it", async () => {
    const globex = await makeTenant(s.t.platform, 'globex', 'Globex');
    await inTenant(s.t.platform, globex, (db) => saveTenantSettings(db, { language: 'fr' }));
    const member = await makeUser(s.t.platform, { email: 'marie@example.com', name: 'Marie Membre' });
    await addMember(s.t.platform, member, globex, 'editor');
    const page = await s.newPage();
    await s.signIn(page, 'marie@example.com');
    await page.goto('/t/globex/items');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.textContent('main')).toContain('Nouvel élément');
    await s.screenshot(page, 'workspace-in-french');
    await page.goto('/account');
    await page.selectOption('#language', 'en');
    await Promise.all([page.waitForURL('**/account?done=language'), page.click('form[action="/account/language"] button[type=submit]')]);
    expect(await page.textContent('main')).toContain('Your language was saved.');
    await page.goto('/t/globex/items');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('main')).toContain('New item');
    await page.context().close();
  }, 60000);
});
