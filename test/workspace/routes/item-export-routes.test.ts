import { parse } from 'csv-parse/sync';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { makeItem } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe('CSV export', () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let admin: Agent;
  let editor: Agent;

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha');
    bravo = await makeTenant(t.platform, 'bravo');
    const adminUser = await makeUser(t.platform);
    await addMember(t.platform, adminUser, alpha, 'admin');
    await addMember(t.platform, adminUser, bravo, 'admin');
    admin = await signIn(app, adminUser.email);
    const editorUser = await makeUser(t.platform);
    await addMember(t.platform, editorUser, alpha, 'editor');
    editor = await signIn(app, editorUser.email);
    await makeItem(t.platform, alpha, {
      title: 'Alpha blog',
      body: 'line one\nline two, with "quotes"',
      channel: 'blog',
      tags: ['news', 'pets'],
      scheduledAt: Date.UTC(2031, 0, 2, 3, 4),
      status: 'approved',
    });
    await makeItem(t.platform, alpha, { title: '=HYPERLINK("http://evil")', channel: 'social' });
    await makeItem(t.platform, alpha, { title: 'Alpha newsletter', channel: 'newsletter', tags: ['news'] });
    // Same ids, other tenant: must never appear in alpha's export.
    await makeItem(t.platform, bravo, { title: 'Bravo secret', channel: 'blog', tags: ['news'] });
  });
  afterAll(() => t.cleanup());

  const rowsOf = (text: string) => parse(text, { columns: true }) as Array<Record<string, string>>;

  it('downloads every item of the tenant as an attachment, with a header line', async () => {
    const res = await admin.get('/t/alpha/items.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?items-alpha-\d{8}\.csv"?$/);
    const rows = rowsOf(res.text);
    expect(rows.map((r) => r.title)).toEqual(['Alpha blog', '\'=HYPERLINK("http://evil")', 'Alpha newsletter']);
    expect(rows[0]).toMatchObject({
      id: '1',
      body: 'line one\nline two, with "quotes"',
      channel: 'blog',
      tags: 'news, pets',
      scheduled_at: '2031-01-02T03:04:00Z',
      status: 'approved',
    });
    expect(res.text).not.toContain('Bravo');
  });

  it.each([
    ['status', '?status=approved', ['Alpha blog']],
    ['channel', '?channel=newsletter', ['Alpha newsletter']],
    ['tag', '?tag=news', ['Alpha blog', 'Alpha newsletter']],
    ['text search', '?q=newsletter', ['Alpha newsletter']],
  ])('respects the %s filter of the list', async (_label, query, titles) => {
    const res = await admin.get(`/t/alpha/items.csv${query}`);
    expect(rowsOf(res.text).map((r) => r.title)).toEqual(titles);
  });

  it('contains only the tenant named in the URL, though both have an item with id 1', async () => {
    const res = await admin.get('/t/bravo/items.csv');
    expect(rowsOf(res.text).map((r) => [r.id, r.title])).toEqual([['1', 'Bravo secret']]);
  });

  it('is offered from the list page with the current filters', async () => {
    const page = await admin.get('/t/alpha/items?channel=blog&q=x');
    expect(page.text).toContain('href="/t/alpha/items.csv?channel=blog&amp;q=x"');
  });

  it('is refused (403) to members without data.export, and a bad filter is a 400', async () => {
    expect((await editor.get('/t/alpha/items.csv')).status).toBe(403);
    expect((await admin.get('/t/alpha/items.csv?status=nope')).status).toBe(400);
  });
});
