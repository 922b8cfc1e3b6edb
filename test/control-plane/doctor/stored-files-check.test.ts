import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { runDoctor } from '../../../control-plane/doctor/run-doctor';
import { storedFilesCheck } from '../../../control-plane/doctor/stored-files-check';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { AttachmentRepository, newAttachmentId } from '../../../workspace/files/attachment-repository';
import { saveTenantSettings } from '../../../workspace/settings/tenant-settings';
import { makeItem } from '../../support/content';
import { withTenantDb } from '../../workspace/files/file-fixtures';
import { damage } from '../../support/damage';
import * as tenantFileCheck from '../../../tenant-runtime/tenant-file-check';

describe("the doctor's check of stored files against the rows that name them", () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
  });
  afterEach(() => t.cleanup());

  const filesDir = () => tenantPaths(t.dataDir, acme.id).files;
  const name = (c: string) => c.repeat(32);
  const put = (stored: string, ageMs: number) => {
    fs.mkdirSync(filesDir(), { recursive: true });
    const file = path.join(filesDir(), stored);
    fs.writeFileSync(file, 'bytes');
    const at = new Date(Date.now() - ageMs);
    fs.utimesSync(file, at, at);
  };
  const attach = async (stored: string) => {
    const item = await makeItem(t.platform, acme);
    await withTenantDb(t.platform, acme, (db) =>
      new AttachmentRepository(db).insert({
        id: newAttachmentId(),
        item_id: item.id,
        stored_name: stored,
        original_name: 'brief.pdf',
        content_type: 'application/pdf',
        size_bytes: 5,
        sha256: 'a'.repeat(64),
        uploaded_by: null,
        uploaded_by_name: 'Somebody',
        created_at: Date.now(),
      }),
    );
  };

  it('removes with --fix only old files no attachment and no logo names, keeping young ones (an upload in flight)', async () => {
    put(name('a'), 3600_000); // an attachment's
    put(name('b'), 3600_000); // the logo's
    put(name('c'), 3600_000); // nobody's, an hour old
    put(name('d'), 60_000); // nobody's, a minute old
    await attach(name('a'));
    await withTenantDb(t.platform, acme, (db) =>
      saveTenantSettings(db, { logo: { file: name('b'), contentType: 'image/png', size: 5, sha256: 'b'.repeat(64), updatedAt: Date.now() } }),
    );
    const seen = await storedFilesCheck({ platform: t.platform, fix: false, deep: false });
    expect(seen).toEqual([
      expect.objectContaining({ check: 'debris', subject: path.relative(t.dataDir, path.join(filesDir(), name('c'))), needsHuman: false }),
    ]);
    expect(fs.readdirSync(filesDir()).sort()).toEqual([name('a'), name('b'), name('c'), name('d')]);

    const report = await runDoctor({ platform: t.platform, fix: true, deep: false });
    expect(report.unresolved).toEqual([]);
    expect(fs.readdirSync(filesDir()).sort()).toEqual([name('a'), name('b'), name('d')]);
  });

  it('reports an attachment whose stored file is missing, for a human, and removes nothing', async () => {
    put(name('a'), 3600_000);
    await attach(name('a'));
    await attach(name('e'));
    const report = await runDoctor({ platform: t.platform, fix: true, deep: false });
    expect(report.unresolved).toEqual([
      expect.objectContaining({
        check: 'files',
        subject: 'acme',
        problem: expect.stringContaining(`1 stored file(s) named by its attachments or its logo are missing (${name('e')})`),
      }),
    ]);
    expect(fs.readdirSync(filesDir())).toEqual([name('a')]);
    expect(await withTenantDb(t.platform, acme, (db) => db.all('select stored_name from attachments'))).toHaveLength(2);
  });

  it("reads each tenant's file once for the files check and this one, with the same findings", async () => {
    const globex = await makeTenant(t.platform, 'globex');
    put(name('c'), 3600_000);
    await attach(name('e'));
    t.platform.router.closeAll();
    const inspect = jest.spyOn(tenantFileCheck, 'inspectTenantFile');
    try {
      const report = await runDoctor({ platform: t.platform, fix: false, deep: false });

      const opened = inspect.mock.calls.map(([file]) => file).sort();
      expect(opened).toEqual([tenantPaths(t.dataDir, acme.id).database, tenantPaths(t.dataDir, globex.id).database].sort());
      expect(report.findings.filter((f) => f.check === 'debris' || f.check === 'files')).toEqual([
        expect.objectContaining({ check: 'debris', subject: path.relative(t.dataDir, path.join(filesDir(), name('c'))) }),
        expect.objectContaining({ check: 'files', subject: 'acme', problem: expect.stringContaining(`are missing (${name('e')})`) }),
      ]);
    } finally {
      inspect.mockRestore();
    }
  });

  it('passes over a tenant whose file cannot be opened, changing nothing without --fix (the files check reports it)', async () => {
    put(name('c'), 3600_000);
    damage(t.platform, acme, 'a garbage file');
    expect(await storedFilesCheck({ platform: t.platform, fix: false, deep: false })).toEqual([]);
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('active');
    expect(fs.readdirSync(filesDir())).toEqual([name('c')]);
  });
});
