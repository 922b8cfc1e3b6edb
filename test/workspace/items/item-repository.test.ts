import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { inTenant, makeItem } from '../../support/content';
import { plansOf } from '../../support/query-plans';
import { ItemRepository } from '../../../workspace/items/item-repository';
import type { TenantDatabase } from '../../../tenant-runtime/tenant-database';

describe("an item repository's counts by status", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  /** What counting the items themselves finds, status by status. */
  const countedOneByOne = (db: TenantDatabase) =>
    Object.fromEntries(db.all<{ status: string; n: number }>('select status, count(*) as n from items group by status').map((r) => [r.status, r.n]));

  it('follow the items as they are made, change status and are deleted, and are read without reading the items', async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    const other = await makeTenant(t.platform, 'other');
    const first = await makeItem(t.platform, tenant, { status: 'in_review' });
    const second = await makeItem(t.platform, tenant, { status: 'in_review' });
    await makeItem(t.platform, tenant);
    await makeItem(t.platform, other, { status: 'published' });
    const found = await inTenant(t.platform, tenant, (db) => {
      db.write(() => {
        db.run("update items set status = 'approved' where id = ?", [first.id]);
        db.run('update items set title = ? where id = ?', ['Renamed', second.id]);
        db.run('delete from items where id = ?', [second.id]);
      });
      let counts: ReturnType<ItemRepository['countByStatus']> = {};
      const plans = plansOf(db, () => {
        counts = new ItemRepository(db).countByStatus();
      });
      return { counts, counted: countedOneByOne(db), plans };
    });

    expect(found.counts).toEqual({ approved: 1, draft: 1 });
    expect(found.counts).toEqual(found.counted);
    expect(found.plans).toHaveLength(1);
    expect(found.plans[0].plan).toMatch(/SCAN item_status_counts/);
    expect(found.plans[0].plan).not.toMatch(/\bitems\b|items_status_index/);
    // Another workspace's items are its own file's: counted there only.
    expect(await inTenant(t.platform, other, (db) => new ItemRepository(db).countByStatus())).toEqual({ published: 1 });
  });
});
