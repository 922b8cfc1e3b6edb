import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { inTenant, makeItem } from '../../support/content';
import { repack } from '../../support/archives';
import { withTenantFile } from '../../support/tenant-file';
import { migrationsFolderUpTo } from '../../support/migrations-folder';
import { exportTenant } from '../../../control-plane/transfer/export-tenant';
import { importTenant } from '../../../control-plane/transfer/import-tenant';
import { cloneTenant } from '../../../control-plane/transfer/clone-tenant';
import { ImportRefusedError } from '../../../core/errors/app-errors';
import { ItemRepository } from '../../../workspace/items/item-repository';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/** What the dashboard reads, next to what the items themselves say. */
async function countsOf(t: TestPlatform, tenant: TenantRecord) {
  return inTenant(t.platform, tenant, (db) => ({
    shown: new ItemRepository(db).countByStatus(),
    items: Object.fromEntries(db.all<{ status: string; n: number }>('select status, count(*) as n from items group by status').map((r) => [r.status, r.n])),
  }));
}

describe('the counts of items by status in a tenant made from a copy (an import, a clone)', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let dir: string;
  let archive: string;
  const expected = { draft: 2, in_review: 1, published: 3 };

  beforeAll(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    for (const [status, n] of Object.entries(expected)) for (let i = 0; i < n; i++) await makeItem(t.platform, acme, { status: status as 'draft' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-counts-'));
    archive = path.join(dir, 'acme.tar.gz');
    await exportTenant(t.platform, { slug: 'acme', out: archive, actorUserId: null });
  });
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const edited = async (name: string, sql: string) => {
    const file = path.join(dir, `${name}.tar.gz`);
    await repack(
      archive,
      file,
      (unpacked) => {
        const db = new BetterSqlite3(path.join(unpacked, 'tenant.sqlite'));
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      { recomputeChecksums: true },
    );
    return file;
  };

  it('counts the items of an archive whose counts were edited by hand, whatever figures it brings', async () => {
    const file = await edited(
      'forged-counts',
      "update item_status_counts set items = 5000 where status = 'draft'; delete from item_status_counts where status = 'published'; insert into item_status_counts values ('approved', -7)",
    );

    const { tenant } = await importTenant(t.platform, { file, slug: 'forged', actorUserId: null });

    const counts = await countsOf(t, tenant);
    expect(counts.shown).toEqual(expected);
    expect(counts.items).toEqual(expected);
  });

  it.each([
    ['items_counted_on_insert dropped', 'drop trigger items_counted_on_insert', /lacks the trigger "items_counted_on_insert"/],
    ['items_counted_on_delete dropped', 'drop trigger items_counted_on_delete', /lacks the trigger "items_counted_on_delete"/],
    ['items_counted_on_status dropped', 'drop trigger items_counted_on_status', /lacks the trigger "items_counted_on_status"/],
    [
      'items_counted_on_delete changed to count nothing',
      'drop trigger items_counted_on_delete; create trigger items_counted_on_delete after delete on items begin select 1; end',
      /trigger "items_counted_on_delete" differs from what the migrations create/,
    ],
  ])('refuses an archive with its counting trigger %s, importing nothing', async (_how, sql, reason) => {
    const file = await edited(`trigger-${Math.random().toString(36).slice(2, 8)}`, sql);
    const before = t.platform.tenants.list().length;

    const attempt = importTenant(t.platform, { file, slug: 'no-triggers', actorUserId: null });

    await expect(attempt).rejects.toBeInstanceOf(ImportRefusedError);
    await expect(attempt).rejects.toThrow(reason);
    expect(t.platform.tenants.list()).toHaveLength(before);
  });

  it('counts the items of a clone whose source counts had drifted', async () => {
    const source = await makeTenant(t.platform, 'drifted');
    await makeItem(t.platform, source, { status: 'approved' });
    withTenantFile(t, 'drifted', (db) => db.exec("update item_status_counts set items = 40 where status = 'approved'"));

    const { tenant } = await cloneTenant(t.platform, { slug: 'drifted', toSlug: 'drifted-copy', actorUserId: null });

    expect((await countsOf(t, tenant)).shown).toEqual({ approved: 1 });
  });

  it('counts the items of an archive an older release exported (its file before the counts existed) once it is migrated', async () => {
    const older = await createTestPlatform({}, { tenantMigrationsDir: migrationsFolderUpTo('0024-create-workflow-mails') });
    try {
      const old = await makeTenant(older.platform, 'old');
      for (const status of ['draft', 'scheduled', 'scheduled'] as const) await makeItem(older.platform, old, { status });
      const file = path.join(dir, 'old.tar.gz');
      await exportTenant(older.platform, { slug: 'old', out: file, actorUserId: null });

      const result = await importTenant(t.platform, { file, slug: 'from-older', actorUserId: null });

      expect(result.migrated).toEqual(['0025-item-status-counts']);
      const counts = await countsOf(t, result.tenant);
      expect(counts.shown).toEqual({ draft: 1, scheduled: 2 });
      expect(counts.items).toEqual({ draft: 1, scheduled: 2 });
    } finally {
      await older.cleanup();
    }
  });
});
