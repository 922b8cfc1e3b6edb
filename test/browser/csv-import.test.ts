import { startBrowserSession, type BrowserSession } from './support/browser-session';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { tenantContent } from '../support/content';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

/**
 * A CSV file travels from step to step in the form's hidden text box, which a browser sends back
 * with CRLF line ends and without a line end right after its start tag: a real browser imports a
 * file of exactly the size limit, and keeps the line numbers of a file that starts with an empty line.
 */
describe('CSV import in a real browser', () => {
  let s: BrowserSession;
  let tenant: TenantRecord;

  beforeAll(async () => {
    s = await startBrowserSession();
    tenant = await makeTenant(s.t.platform, 'studio', 'Studio');
    await addMember(s.t.platform, await makeUser(s.t.platform, { email: 'ada@studio.test', name: 'Ada Admin' }), tenant, 'admin');
  }, 60000);
  afterAll(() => s?.close());

  const chooseFile = async (csv: string) => {
    const page = await s.newPage();
    await s.signIn(page, 'ada@studio.test');
    await page.goto('/t/studio/items/import');
    await page.setInputFiles('#file', { name: 'items.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await Promise.all([page.waitForURL('**/items/import'), page.click('main form button[type=submit]')]);
    return page;
  };

  it('imports a file of exactly 1 MB with LF line ends through every step', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `Item ${String(i).padStart(4, '0')},${'x'.repeat(i < 4990 ? 189 : 188)}`);
    const csv = `Title,Body\n${rows.join('\n')}`;
    expect(Buffer.byteLength(csv)).toBe(1_000_000);
    const page = await chooseFile(csv);
    await page.selectOption('#map_body', '1');
    await page.click('main form button.secondary');
    expect(await page.textContent('main')).toContain('5000 to create');
    await Promise.all([page.waitForURL('**/t/studio/items**'), page.click('main form[action*="/items/import/commit"] button[type=submit]')]);
    const items = (await tenantContent(s.t.platform, tenant)).items as Array<{ title: string }>;
    expect(items).toHaveLength(5000);
  }, 60000);

  it('keeps the line numbers of a file that starts with an empty line', async () => {
    const page = await chooseFile('\nTitle,Body\n,no title\nFine,body\n');
    await page.click('main form button.secondary');
    expect(await page.textContent('main .import-errors')).toContain('line 3: column “Title” is required');
    await page.click('main form button.secondary');
    expect(await page.textContent('main .import-errors')).toContain('line 3: column “Title” is required');
  }, 60000);
});
