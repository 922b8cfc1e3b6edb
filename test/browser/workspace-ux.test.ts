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
});
