import { inEnglish } from '../../../../core/i18n/translator';
import { createTestPlatform, type TestPlatform } from '../../../support/test-platform';
import { makeTenant } from '../../../support/factories';
import { inTenant, tenantContent } from '../../../support/content';
import type { TenantRecord } from '../../../../control-plane/tenants/tenant-record';
import { parseCsv } from '../../../../workspace/items/csv/parse-csv';
import { commitImport, ImportRejectedError } from '../../../../workspace/items/csv/commit-import';
import { workflowContext } from '../../../../workspace/workflow/workflow-context';
import { PREDEFINED_ROLE_PERMISSIONS } from '../../../../control-plane/roles/predefined-roles';
import type { Permission } from '../../../../tenant-runtime/permission-catalogue';
import { ItemRepository } from '../../../../workspace/items/item-repository';

describe('committing an import', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    tenant = await makeTenant(t.platform, 'studio');
  });
  afterEach(() => t.cleanup());

  const run = (csv: string) =>
    inTenant(t.platform, tenant, (db) =>
      commitImport(
        workflowContext(db, { id: 'u1', name: 'Importer' }, new Set(PREDEFINED_ROLE_PERMISSIONS.admin as Permission[])),
        parseCsv(csv),
        { mapping: { title: 0, body: 1 }, onDuplicate: 'skip', onInvalid: 'reject' },
        () => undefined,
      ),
    );

  it('rolls back rows already written when a later row fails while writing', async () => {
    // A failure the validation cannot foresee (here a trigger) half-way through the file.
    await inTenant(t.platform, tenant, (db) =>
      db.run("create trigger refuse_boom before insert on items when new.title = 'Boom' begin select raise(abort, 'disk said no'); end"),
    );
    const before = await tenantContent(t.platform, tenant);
    // (Compared by message: better-sqlite3's error class can come from another test file's realm.)
    const error = await run('title,body\nOne,a\nTwo,b\nBoom,c\nFour,d\n').then(
      () => undefined,
      (e: { message?: string }) => e,
    );
    expect(error?.message).toBe('disk said no');
    expect(await tenantContent(t.platform, tenant)).toEqual(before);
  });

  it('throws the line-numbered problems of every invalid row, writing nothing', async () => {
    const error = await run('title,body\nOne,a\n,b\nThree,c\n,d\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRejectedError);
    expect((error as ImportRejectedError).plan.errors.map(inEnglish)).toEqual(['line 3: column “title” is required', 'line 5: column “title” is required']);
    expect((await tenantContent(t.platform, tenant)).items).toEqual([]);
  });

  it('counts every row it imports in the counts by status, and none of a file it rejects', async () => {
    const counts = () =>
      inTenant(t.platform, tenant, (db) => ({
        shown: new ItemRepository(db).countByStatus(),
        items: Object.fromEntries(db.all<{ status: string; n: number }>('select status, count(*) as n from items group by status').map((r) => [r.status, r.n])),
      }));
    const rows = Array.from({ length: 2000 }, (_, i) => `Row ${i},body ${i}`).join('\n');

    await run(`title,body\n${rows}\n`);
    await run(`title,body\nOne more,a\n,missing title\n`).catch(() => undefined);

    expect(await counts()).toEqual({ shown: { draft: 2000 }, items: { draft: 2000 } });
  });
});
