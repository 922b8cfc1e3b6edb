import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { inTenant, makeItem } from '../../support/content';
import { plansOf } from '../../support/query-plans';
import { countItems, listItems, listItemsBefore } from '../../../workspace/items/item-query';
import { itemFilterSchema } from '../../../workspace/items/item-schemas';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { TenantDatabase } from '../../../tenant-runtime/tenant-database';

describe("the items list's queries", () => {
  let t: TestPlatform;
  let acme: TenantRecord;

  beforeAll(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    for (let i = 1; i <= 6; i++) await makeItem(t.platform, acme, { title: `Item ${i}`, status: i % 2 ? 'in_review' : 'draft' });
  });
  afterAll(() => t.cleanup());

  it('reads a page of one status newest first from its index, sorting nothing, on the page and over the API', async () => {
    const inReview = itemFilterSchema.parse({ status: 'in_review' });
    const shown: string[][] = [];
    const plans = await inTenant(t.platform, acme, (db) =>
      plansOf(db, () => {
        shown.push(listItems(db, inReview, 2, 0).map((i) => i.title));
        shown.push(listItemsBefore(db, inReview, 2, 5).map((i) => i.title));
      }),
    );
    expect(shown).toEqual([
      ['Item 5', 'Item 3'],
      ['Item 3', 'Item 1'],
    ]);
    expect(plans).toHaveLength(2);
    for (const { plan } of plans) {
      expect(plan).toMatch(/USING INDEX items_status_index/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
  });

  it("reads a tag's items from the tag's index, for the count and for a page, without asking every item for its tags", async () => {
    const tenant = await makeTenant(t.platform, 'tagged');
    const tagged = await makeItem(t.platform, tenant, { title: 'Tagged draft', tags: ['launch'] });
    await makeItem(t.platform, tenant, { title: 'Tagged review', status: 'in_review', tags: ['launch', 'q3'] });
    await makeItem(t.platform, tenant, { title: 'Other tag', tags: ['q3'] });
    const launch = itemFilterSchema.parse({ tag: 'Launch' });
    const shown: unknown[] = [];
    const plans = await inTenant(t.platform, tenant, (db) =>
      plansOf(db, () => {
        shown.push(countItems(db, launch));
        shown.push(listItems(db, launch, 10, 0).map((i) => i.title));
        shown.push(listItemsBefore(db, itemFilterSchema.parse({ tag: 'launch', status: 'draft' }), 10, tagged.id + 1).map((i) => i.title));
      }),
    );
    expect(shown).toEqual([{ count: 2, more: false }, ['Tagged review', 'Tagged draft'], ['Tagged draft']]);
    expect(plans).toHaveLength(3);
    for (const { plan } of plans) {
      expect(plan).toMatch(/SEARCH item_tags USING INDEX item_tags_tag_index \(tag=\?\)/);
      expect(plan).not.toMatch(/SCAN items|TEMP B-TREE/);
    }
  });

  it('gives a tenant connection the search fold at its first search, not when it opens', async () => {
    const callable = (db: TenantDatabase) => {
      try {
        return db.get<{ v: string }>("select tenantry_fold('ÉTÉ') as v")?.v;
      } catch (error) {
        return (error as Error).message;
      }
    };
    t.platform.router.closeAll();
    const found = await inTenant(t.platform, acme, (db) => {
      const before = callable(db);
      const unsearched = listItems(db, itemFilterSchema.parse({ status: 'draft' }), 10, 0).length;
      const afterList = callable(db);
      const ascii = listItems(db, itemFilterSchema.parse({ q: 'ITEM 1' }), 10, 0).map((i) => i.title);
      const accented = listItems(db, itemFilterSchema.parse({ q: 'ÎTEM' }), 10, 0).map((i) => i.title);
      return { before, unsearched, afterList, ascii, accented, after: callable(db) };
    });
    expect(found).toEqual({
      before: 'no such function: tenantry_fold',
      unsearched: 3,
      afterList: 'no such function: tenantry_fold',
      ascii: ['Item 1'],
      accented: [],
      after: 'été',
    });
  });

  it('counts the matching items only up to a cap, saying when there are more', async () => {
    const counts = await inTenant(t.platform, acme, (db) => ({
      under: countItems(db, itemFilterSchema.parse({ status: 'draft' }), 3),
      over: countItems(db, itemFilterSchema.parse({ q: 'Item' }), 4),
      whole: countItems(db, itemFilterSchema.parse({}), 4),
      items: db.get<{ n: number }>('select count(*) as n from items')?.n,
    }));

    expect(counts).toMatchObject({ under: { count: 3, more: false }, over: { count: 4, more: true } });
    // Unfiltered, SQLite counts the table from an index without reading its rows: exact, past the cap.
    expect(counts.whole).toEqual({ count: counts.items, more: false });
    expect(counts.items).toBeGreaterThan(4);
  });
});
