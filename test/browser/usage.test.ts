import { startBrowserSession, type BrowserSession } from './support/browser-session';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { inTenant, makeItem } from '../support/content';
import { recordUsage } from '../../workspace/usage/usage-meter';
import { usageRollupDeps } from '../../app/usage-wiring';
import { rollUpUsage } from '../../control-plane/usage/roll-up-usage';

const DAY = 24 * 3600_000;

/** An owner whose workspace nears its item limit sees the banner and reads the usage page in a real browser. */
describe('the usage page in a real browser', () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await startBrowserSession();
    const acme = await makeTenant(s.t.platform, 'acme', 'Acme Studio');
    await addMember(s.t.platform, await makeUser(s.t.platform, { email: 'avery@agency.test', name: 'Avery Agency' }), acme, 'owner');
    s.t.platform.plans.setTenantOverrides(acme.id, {
      limits: { items: 20, members: 10, items_published_per_day: 12, csv_rows_per_month: 5000, api_requests_per_day: 2000, storage_bytes: 50 * 1024 * 1024 },
    });
    for (let i = 0; i < 17; i++) await makeItem(s.t.platform, acme, { title: `Post ${i + 1}` });
    const now = Date.now();
    await inTenant(s.t.platform, acme, (db) => {
      for (let d = 29; d >= 0; d--) {
        const at = new Date(now - d * DAY);
        recordUsage(db, 'items_published', (d * 7) % 11, { at });
        recordUsage(db, 'api_requests', 300 + ((d * 137) % 900), { at });
        if (d % 6 === 0) recordUsage(db, 'csv_rows_imported', 400, { at });
      }
    });
    await rollUpUsage(usageRollupDeps(s.t.platform));
  }, 60000);
  afterAll(() => s?.close());

  it('shows the near-limit banner and every limit with its chart', async () => {
    const page = await s.newPage();
    await s.signIn(page, 'avery@agency.test');
    await page.goto('/t/acme');
    expect(await page.textContent('.usage-banner')).toContain('Content items: 85% of the limit used.');
    await Promise.all([page.waitForURL('**/t/acme/usage'), page.click('.tenant-links a[href="/t/acme/usage"]')]);
    expect(await page.textContent('tr.limit-items')).toMatch(/17\s*20\s*85%/);
    expect(await page.locator('svg.usage-chart[role=img]').count()).toBeGreaterThanOrEqual(8);
    await s.screenshot(page, 'usage');
  });
});
