import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { inTenant, makeItem, plantAttachments } from '../../support/content';
import type { ItemRow } from '../../../workspace/items/item-repository';
import { ItemComments } from '../../../workspace/items/item-comments';
import { ItemHistory } from '../../../workspace/items/item-history';
import { ITEM_PAGE_COMMENTS, ITEM_PAGE_FILES, ITEM_PAGE_HISTORY } from '../../../workspace/pages/item-page';

/** The page's text between two of its headings' ids, e.g. the comments section. */
function section(html: string, from: string, to: string): string {
  const start = html.indexOf(`id="${from}"`);
  const end = html.indexOf(`id="${to}"`, start);
  return html.slice(start, end === -1 ? undefined : end);
}

const commentsOf = (html: string) => [...section(html, 'comments', 'history').matchAll(/<div class="body">Remark (\d+)<\/div>/g)].map((m) => Number(m[1]));
const historyOf = (html: string) => [...section(html, 'history', 'attachments').matchAll(/Step (\d+)</g)].map((m) => Number(m[1]));
const filesOf = (html: string) =>
  [...section(html, 'attachments', 'nothing-after').matchAll(/>file-(\d+)\.txt</g)].map((m) => Number(m[1])).sort((a, b) => a - b);
const link = (html: string, from: string, to: string, label: string) =>
  new RegExp(`<a href="([^"]+)">${label}</a>`).exec(section(html, from, to))?.[1]?.replace(/&amp;/g, '&');

describe('the item page of a long-lived item', () => {
  let t: TestPlatform;
  let owner: Agent;
  let item: ItemRow;
  const COMMENTS = ITEM_PAGE_COMMENTS * 2 + 7;
  const STEPS = ITEM_PAGE_HISTORY + 3;
  const FILES = ITEM_PAGE_FILES + 4;

  beforeAll(async () => {
    t = await createTestPlatform();
    const app = createApp(t.platform).app;
    const tenant = await makeTenant(t.platform, 'studio');
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, tenant, 'owner');
    item = await makeItem(t.platform, tenant, { title: 'Evergreen guide' });
    const actor = { id: user.id, name: user.name };
    await inTenant(t.platform, tenant, (db) =>
      db.write(() => {
        for (let i = 1; i <= COMMENTS; i++) new ItemComments(db).add(item.id, actor, `Remark ${i}`);
        for (let i = 1; i <= STEPS; i++) new ItemHistory(db).record({ itemId: item.id, action: 'edit', from: 'draft', to: 'draft', actor, note: `Step ${i}` });
      }),
    );
    // Two files added in the same millisecond are still told apart.
    await inTenant(t.platform, tenant, (db) => plantAttachments(db, item.id, FILES, actor, (i) => 1_700_000_000_000 + Math.floor(i / 2)));
    owner = await signIn(app, user.email);
  });
  afterAll(() => t.cleanup());

  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('shows the newest comments, a page at a time, oldest first, with a link to the older ones', async () => {
    const first = await owner.get(`/t/studio/items/${item.id}`);
    expect(first.status).toBe(200);
    expect(commentsOf(first.text)).toEqual(range(COMMENTS - ITEM_PAGE_COMMENTS + 1, COMMENTS));
    expect(link(first.text, 'comments', 'history', 'Newer')).toBeUndefined();

    const second = await owner.get(link(first.text, 'comments', 'history', 'Older') as string);
    expect(commentsOf(second.text)).toEqual(range(COMMENTS - 2 * ITEM_PAGE_COMMENTS + 1, COMMENTS - ITEM_PAGE_COMMENTS));
    expect(link(second.text, 'comments', 'history', 'Newer')).toBe(`/t/studio/items/${item.id}#comments`);

    const last = await owner.get(link(second.text, 'comments', 'history', 'Older') as string);
    expect(commentsOf(last.text)).toEqual(range(1, COMMENTS - 2 * ITEM_PAGE_COMMENTS));
    expect(link(last.text, 'comments', 'history', 'Older')).toBeUndefined();
  });

  it('shows the newest history entries, newest first, with a link to the older ones', async () => {
    const first = await owner.get(`/t/studio/items/${item.id}`);
    expect(historyOf(first.text)).toEqual(range(STEPS - ITEM_PAGE_HISTORY + 1, STEPS).reverse());
    const older = await owner.get(link(first.text, 'history', 'attachments', 'Older') as string);
    // The item's creation (made by the factory, without a note) is not an entry here; every step is.
    expect(historyOf(older.text)).toEqual(range(1, STEPS - ITEM_PAGE_HISTORY).reverse());
    expect(link(older.text, 'history', 'attachments', 'Older')).toBeUndefined();
  });

  it('lists the newest attachments, with a link to the older ones', async () => {
    const first = await owner.get(`/t/studio/items/${item.id}`);
    expect(filesOf(first.text)).toHaveLength(ITEM_PAGE_FILES);
    expect(filesOf(first.text)).toContain(FILES);
    const older = await owner.get(link(first.text, 'attachments', 'nothing-after', 'Older') as string);
    expect(filesOf(older.text)).toContain(1);
    // Each file is on one page exactly, those added in the same millisecond too.
    expect([...filesOf(first.text), ...filesOf(older.text)].sort((a, b) => a - b)).toEqual(range(1, FILES));
    expect(link(older.text, 'attachments', 'nothing-after', 'Older')).toBeUndefined();
  });

  it('shows the newest of each list when a link is tampered with', async () => {
    const res = await owner.get(`/t/studio/items/${item.id}?comments_before=abc&history_before=-1&files_before=1.fnot-an-id`);
    expect(res.status).toBe(200);
    expect(commentsOf(res.text)).toHaveLength(ITEM_PAGE_COMMENTS);
    expect(historyOf(res.text)).toHaveLength(ITEM_PAGE_HISTORY);
    expect(filesOf(res.text)).toHaveLength(ITEM_PAGE_FILES);
  });
});
