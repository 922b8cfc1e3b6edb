import http from 'node:http';
import { parse } from 'csv-parse/sync';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { inTenant, makeItem } from '../../support/content';
import { ItemRepository } from '../../../workspace/items/item-repository';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe('CSV export', () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let admin: Agent;
  let editor: Agent;
  let adminUser: UserRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha');
    bravo = await makeTenant(t.platform, 'bravo');
    adminUser = await makeUser(t.platform);
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

  it("streams a tenant of many batches without leaving a 'close' or 'error' listener per batch on the response", async () => {
    const big = await makeTenant(t.platform, 'big');
    await addMember(t.platform, adminUser, big, 'admin');
    // 6,000 items are 12 batches of 500, each more than the response buffers before it must drain.
    await inTenant(t.platform, big, (db) =>
      db.write(() => {
        const repo = new ItemRepository(db);
        for (let i = 0; i < 6000; i++)
          repo.create({ title: `Item ${i}`, body: 'x'.repeat(100), channel: '', tags: [], scheduledAt: null, createdBy: adminUser.id });
      }),
    );
    /** The response's 'close' and 'error' listeners when the export ends it. */
    const listenersAtEnd = async (path: string) => {
      const seen: Array<{ close: number; error: number }> = [];
      const realEnd = Reflect.get(http.ServerResponse.prototype, 'end') as (...args: unknown[]) => http.ServerResponse;
      const end = jest.spyOn(http.ServerResponse.prototype, 'end').mockImplementation(function (this: http.ServerResponse, ...args: unknown[]) {
        if (String(this.getHeader('content-type')).startsWith('text/csv'))
          seen.push({ close: this.listenerCount('close'), error: this.listenerCount('error') });
        return realEnd.apply(this, args);
      });
      try {
        const res = await admin.get(path);
        expect(res.status).toBe(200);
        return { rows: rowsOf(res.text).length, listeners: seen };
      } finally {
        end.mockRestore();
      }
    };

    const small = await listenersAtEnd('/t/alpha/items.csv');
    const large = await listenersAtEnd('/t/big/items.csv');
    expect(large.rows).toBe(6000);
    expect(large.listeners).toHaveLength(1);
    // As many as an export of one batch: none added per batch (11 would warn MaxListenersExceeded).
    expect(large.listeners).toEqual(small.listeners);
  });
});
