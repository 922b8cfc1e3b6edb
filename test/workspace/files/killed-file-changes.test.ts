import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { makeItem } from '../../support/content';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { killServerAt as killServerProcessAt } from '../../support/server-process';
import { createApp } from '../../../app/create-app';
import { runDoctor } from '../../../control-plane/doctor/run-doctor';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { STORED_FILE_NAME, tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { loadTenantSettings } from '../../../workspace/settings/tenant-settings';
import { FIXTURES, uploadFile, withTenantDb } from './file-fixtures';

/**
 * Uploads, deletes and logo changes write a file and a row; a server SIGKILLed between the two
 * (core/process/pause-point.ts) leaves a stored file no row names, which `tenantry doctor --fix`
 * removes once it is older than an upload in flight can be. No row is left naming a missing file.
 */
describe('a file change killed between its file and its rows', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let owner: UserRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    owner = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
  });
  afterEach(() => t.cleanup());

  const filesDir = () => tenantPaths(t.dataDir, acme.id).files;
  const storedFiles = () =>
    fs.existsSync(filesDir())
      ? fs
          .readdirSync(filesDir())
          .filter((n) => STORED_FILE_NAME.test(n))
          .sort()
      : [];
  const attachmentFiles = () =>
    withTenantDb(t.platform, acme, (db) => db.all<{ stored_name: string }>('select stored_name from attachments').map((r) => r.stored_name));
  const logoFile = () => withTenantDb(t.platform, acme, (db) => loadTenantSettings(db, '').logo?.file);
  const here = () => signIn(createApp(t.platform).app, owner.email);

  /** The server killed at `point` of the request `act` makes as the owner. */
  async function killServerAt(point: string, act: (agent: Agent) => Promise<unknown>): Promise<void> {
    t.platform.router.closeAll();
    await killServerProcessAt(t.dataDir, point, async (url) => act(await signIn(url, owner.email)));
  }

  /** `tenantry doctor --fix` an hour later (the files older than any upload in flight); answers the stored files it removed. */
  async function doctorFixAnHourLater(): Promise<string[]> {
    const anHourAgo = new Date(Date.now() - 3600_000);
    for (const name of storedFiles()) fs.utimesSync(path.join(filesDir(), name), anHourAgo, anHourAgo);
    const report = await runDoctor({ platform: t.platform, fix: true, deep: false });
    expect(report.unresolved).toEqual([]);
    return report.findings
      .filter((f) => f.problem.startsWith('a stored file no attachment'))
      .map((f) => (expect(f.fixed).toBe(true), path.basename(f.subject)));
  }

  it('an upload killed before its temp file was renamed into place leaves no row, and the doctor removes the temp file', async () => {
    const item = await makeItem(t.platform, acme);
    await killServerAt('files:temp-written', (agent) =>
      uploadFile(agent, `/t/acme/items/${item.id}/attachments`, 'file', FIXTURES.pdf, 'brief.pdf', 'application/pdf'),
    );
    const [temp] = fs.readdirSync(filesDir());
    expect(temp).toMatch(/^\.upload-[0-9a-f]{32}$/);
    expect(await attachmentFiles()).toEqual([]);
    const anHourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.join(filesDir(), temp), anHourAgo, anHourAgo);
    const report = await runDoctor({ platform: t.platform, fix: true, deep: false });
    expect(report.findings).toEqual([expect.objectContaining({ problem: 'an upload temp file left by an upload that stopped', fixed: true })]);
    expect(fs.readdirSync(filesDir())).toEqual([]);
  }, 60_000);

  it('an upload killed after its file was written leaves no row, and the doctor removes the file', async () => {
    const item = await makeItem(t.platform, acme);
    await killServerAt('attachment:file-written', (agent) =>
      uploadFile(agent, `/t/acme/items/${item.id}/attachments`, 'file', FIXTURES.pdf, 'brief.pdf', 'application/pdf'),
    );
    const [orphan] = storedFiles();
    expect(orphan).toBeDefined();
    expect(await attachmentFiles()).toEqual([]);
    // Not at once: an upload in flight has written its file and not yet its row.
    expect((await runDoctor({ platform: t.platform, fix: true, deep: false })).findings.filter((f) => f.subject.endsWith(orphan))).toEqual([]);
    expect(await doctorFixAnHourLater()).toEqual([orphan]);
    expect(storedFiles()).toEqual([]);
  }, 60_000);

  it('an attachment delete killed after its row went leaves the file, and the doctor removes it', async () => {
    const item = await makeItem(t.platform, acme);
    const agent = await here();
    expect((await uploadFile(agent, `/t/acme/items/${item.id}/attachments`, 'file', FIXTURES.pdf, 'brief.pdf', 'application/pdf')).status).toBe(303);
    const [kept] = await attachmentFiles();
    const id = await withTenantDb(t.platform, acme, (db) => db.get<{ id: string }>('select id from attachments')!.id);
    await killServerAt('files:rows-deleted', (killed) => postForm(killed, `/t/acme/files/${id}/delete`, { confirmed: 'yes' }));
    expect(await attachmentFiles()).toEqual([]);
    expect(storedFiles()).toEqual([kept]);
    expect(await doctorFixAnHourLater()).toEqual([kept]);
    expect(storedFiles()).toEqual([]);
  }, 60_000);

  it("an item delete killed after its rows went leaves its attachments' files, and the doctor removes them", async () => {
    const item = await makeItem(t.platform, acme);
    const other = await makeItem(t.platform, acme);
    const agent = await here();
    for (const [on, name] of [
      [item.id, 'a.pdf'],
      [item.id, 'b.txt'],
      [other.id, 'c.pdf'],
    ] as const) {
      const bytes = name.endsWith('.txt') ? FIXTURES.text : FIXTURES.pdf;
      expect((await uploadFile(agent, `/t/acme/items/${on}/attachments`, 'file', bytes, name, 'application/octet-stream')).status).toBe(303);
    }
    const othersFile = await withTenantDb(
      t.platform,
      acme,
      (db) => db.get<{ stored_name: string }>('select stored_name from attachments where item_id = ?', [other.id])!.stored_name,
    );
    await killServerAt('files:rows-deleted', (killed) => postForm(killed, `/t/acme/items/${item.id}/delete`, { confirmed: 'yes' }));
    expect(await withTenantDb(t.platform, acme, (db) => db.get('select id from items where id = ?', [item.id]))).toBeUndefined();
    expect(await attachmentFiles()).toEqual([othersFile]);
    const left = storedFiles().filter((n) => n !== othersFile);
    expect(left).toHaveLength(2);
    expect((await doctorFixAnHourLater()).sort()).toEqual(left);
    expect(storedFiles()).toEqual([othersFile]);
  }, 60_000);

  it('a logo change killed after the new file was written keeps the old logo, and the doctor removes the new file', async () => {
    expect((await uploadFile(await here(), '/t/acme/settings/logo', 'logo', FIXTURES.png, 'logo.png', 'image/png')).status).toBe(303);
    const old = await logoFile();
    await killServerAt('logo:file-written', (agent) => uploadFile(agent, '/t/acme/settings/logo', 'logo', FIXTURES.jpeg, 'new.jpg', 'image/jpeg'));
    expect(await logoFile()).toBe(old);
    const written = storedFiles().filter((n) => n !== old);
    expect(written).toHaveLength(1);
    expect(await doctorFixAnHourLater()).toEqual(written);
    expect(storedFiles()).toEqual([old]);
  }, 60_000);

  it('a logo change killed after the setting was saved shows the new logo, and the doctor removes the old file', async () => {
    expect((await uploadFile(await here(), '/t/acme/settings/logo', 'logo', FIXTURES.png, 'logo.png', 'image/png')).status).toBe(303);
    const old = (await logoFile())!;
    await killServerAt('logo:saved', (agent) => uploadFile(agent, '/t/acme/settings/logo', 'logo', FIXTURES.jpeg, 'new.jpg', 'image/jpeg'));
    const now = (await logoFile())!;
    expect(now).not.toBe(old);
    expect(storedFiles()).toEqual([old, now].sort());
    expect(await doctorFixAnHourLater()).toEqual([old]);
    expect(storedFiles()).toEqual([now]);
  }, 60_000);

  it('a logo removal killed after the setting was cleared leaves the file, and the doctor removes it', async () => {
    expect((await uploadFile(await here(), '/t/acme/settings/logo', 'logo', FIXTURES.png, 'logo.png', 'image/png')).status).toBe(303);
    const old = (await logoFile())!;
    await killServerAt('logo:cleared', (agent) => postForm(agent, '/t/acme/settings/logo/delete', { confirmed: 'yes' }));
    expect(await logoFile()).toBeUndefined();
    expect(await doctorFixAnHourLater()).toEqual([old]);
    expect(storedFiles()).toEqual([]);
  }, 60_000);
});
