import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { inTenant, makeItem } from '../../support/content';
import { withTenantFile } from '../../support/tenant-file';
import { runDoctor } from '../../../control-plane/doctor/run-doctor';
import { itemCountsCheck } from '../../../control-plane/doctor/item-counts-check';
import { ItemRepository } from '../../../workspace/items/item-repository';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe("the doctor's check of the counts of items by status against the items", () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let globex: TenantRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    globex = await makeTenant(t.platform, 'globex');
    for (const status of ['draft', 'draft', 'published'] as const) await makeItem(t.platform, acme, { status });
    await makeItem(t.platform, globex, { status: 'approved' });
  });
  afterEach(() => t.cleanup());

  const kept = (slug: string) =>
    withTenantFile(t, slug, (db) => db.prepare('select status, items from item_status_counts where items <> 0 order by status').all());
  const shown = (tenant: TenantRecord) => inTenant(t.platform, tenant, (db) => new ItemRepository(db).countByStatus());
  const check = (fix: boolean) => itemCountsCheck({ platform: t.platform, fix, deep: false });

  it('finds nothing in workspaces whose counts are kept by their triggers', async () => {
    expect(await check(false)).toEqual([]);
  });

  it('is one of the checks of "tenantry doctor", naming the tenant and each status whose count differs, and changes nothing without --fix', async () => {
    withTenantFile(t, 'acme', (db) =>
      db.exec("update item_status_counts set items = 9 where status = 'draft'; delete from item_status_counts where status = 'published'"),
    );
    const before = kept('acme');

    const { findings, unresolved } = await runDoctor({ platform: t.platform, fix: false, deep: false });

    const found = findings.filter((f) => f.check === 'item-counts');
    expect(found).toEqual([
      {
        check: 'item-counts',
        subject: 'acme',
        problem: 'its counts of items by status differ from its items (draft: 9 counted, 2 there; published: 0 counted, 1 there)',
        fix: 'count its items again',
        needsHuman: false,
      },
    ]);
    expect(unresolved).toEqual(expect.arrayContaining(found));
    expect(kept('acme')).toEqual(before);
  });

  it('counts the items again with --fix, in that tenant only, and finds nothing afterwards', async () => {
    withTenantFile(t, 'acme', (db) =>
      db.exec("update item_status_counts set items = -3 where status = 'published'; insert into item_status_counts values ('approved', 4)"),
    );
    withTenantFile(t, 'globex', (db) => db.exec("update item_status_counts set items = 1 where status = 'approved'"));
    const globexBefore = kept('globex');

    const { findings } = await runDoctor({ platform: t.platform, fix: true, deep: false });
    const fixed = findings.filter((f) => f.check === 'item-counts');

    expect(fixed).toEqual([expect.objectContaining({ subject: 'acme', fixed: true, needsHuman: false })]);
    expect(await shown(acme)).toEqual({ draft: 2, published: 1 });
    expect(kept('globex')).toEqual(globexBefore);
    expect(await check(false)).toEqual([]);
  });

  it('names at most five statuses, each printable and cut short, whatever a file holds', async () => {
    withTenantFile(t, 'acme', (db) => {
      const put = db.prepare('insert into item_status_counts values (?, 1)');
      for (const status of ['a\u001b[31mred', 'b', 'c', 'd', 'e', 'f', 'g']) put.run(status);
    });

    const [finding] = await check(false);

    expect(finding.problem).not.toContain('\u001b');
    expect(finding.problem).toMatch(/; and 2 more\)$/);
  });

  it('leaves a tenant whose file is behind the code to the files check', async () => {
    withTenantFile(t, 'acme', (db) =>
      db.exec(
        "update item_status_counts set items = 9 where status = 'draft'; delete from tenant_migrations where name = (select max(name) from tenant_migrations); pragma user_version = 0",
      ),
    );

    expect(await check(true)).toEqual([]);
  });
});
