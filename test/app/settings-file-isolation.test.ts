import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { SecretBox } from '../../core/crypto/secret-box';
import { SecretRepository } from '../../workspace/secrets/secret-repository';
import { TenantFileStore } from '../../workspace/files/tenant-file-store';
import { AttachmentRepository } from '../../workspace/files/attachment-repository';
import { loadTenantSettings } from '../../workspace/settings/tenant-settings';
import { FIXTURES, seedItem, uploadFile, withTenantDb } from '../workspace/files/file-fixtures';

const BRAVO_SECRET = 'sk-bravo-00000000000000000000zzzz';

describe('settings, secrets, logos and files of two tenants', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let a: TenantRecord;
  let b: TenantRecord;
  let alice: Agent; // owner of A only
  let bravoFileId: string;

  const stateOf = async (tenant: TenantRecord) => {
    const rows = await withTenantDb(t.platform, tenant, (db) => ({
      settings: db.all('select key, value from settings order by key'),
      secrets: db.all('select name, hint, updated_at from secrets order by name'),
      attachments: db.all('select id from attachments order by id'),
    }));
    return JSON.stringify({ ...rows, files: fs.readdirSync(TenantFileStore.forTenant(t.dataDir, tenant.id).dir).sort() });
  };

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    a = await makeTenant(t.platform, 'alpha', 'Alpha');
    b = await makeTenant(t.platform, 'bravo', 'Bravo');
    const aliceUser = await makeUser(t.platform);
    await addMember(t.platform, aliceUser, a, 'owner');
    const bobUser = await makeUser(t.platform);
    await addMember(t.platform, bobUser, b, 'owner');
    alice = await signIn(app, aliceUser.email);
    const bob = await signIn(app, bobUser.email);

    // Both tenants hold an item with id 1; Bravo has branding, a logo, a secret and a file.
    await seedItem(t.platform, a, 'alpha item');
    await seedItem(t.platform, b, 'bravo item');
    expect(
      (
        await postForm(bob, '/t/bravo/settings', {
          display_name: 'Bravo Brand',
          accent_color: '#bb0000',
          time_zone: 'UTC',
          language: 'fr',
          storage_quota_mb: '',
        })
      ).status,
    ).toBe(303);
    expect((await uploadFile(bob, '/t/bravo/settings/logo', 'logo', FIXTURES.png, 'bravo.png', 'image/png')).status).toBe(303);
    expect((await postForm(bob, '/t/bravo/settings/secrets', { secret_name: 'BRAVO_KEY', secret_value: BRAVO_SECRET })).status).toBe(303);
    expect((await uploadFile(bob, '/t/bravo/items/1/attachments', 'file', FIXTURES.text, 'bravo-plan.txt', 'text/plain')).status).toBe(303);
    bravoFileId = (await withTenantDb(t.platform, b, (db) => new AttachmentRepository(db).listForItem(1)))[0].id;
  });
  afterEach(() => t.cleanup());

  it.each([
    ['the settings page by slug', () => '/t/bravo/settings'],
    ['the settings page by upper-case slug', () => '/t/BRAVO/settings'],
    ['the settings page by tenant id', () => `/t/${b.id}/settings`],
    ['the logo by slug', () => '/t/bravo/settings/logo'],
    ['a file by slug and id', () => `/t/bravo/files/${bravoFileId}`],
    ['a file by its id under the own slug', () => `/t/alpha/files/${bravoFileId}`],
  ])("answers 404 when a member of A reads B's %s", async (_label, url) => {
    const res = await alice.get(url());
    expect(res.status).toBe(404);
    expect(res.headers['content-disposition']).toBeUndefined();
    for (const leak of ['Bravo Brand', 'BRAVO_KEY', 'bravo-plan.txt', '#bb0000', BRAVO_SECRET]) expect(res.text ?? '').not.toContain(leak);
  });

  it.each([
    [
      "saves B's settings",
      () => postForm(alice, '/t/bravo/settings', { display_name: 'pwned', accent_color: '#000000', time_zone: 'UTC', language: 'en', storage_quota_mb: '' }),
    ],
    ["uploads B's logo", () => uploadFile(alice, '/t/bravo/settings/logo', 'logo', FIXTURES.jpeg, 'x.jpg', 'image/jpeg')],
    ["removes B's logo", () => postForm(alice, '/t/bravo/settings/logo/delete', { confirmed: 'yes' })],
    ['adds a secret to B', () => postForm(alice, '/t/bravo/settings/secrets', { secret_name: 'PLANTED', secret_value: 'planted-value-0000000000' })],
    ["replaces B's secret", () => postForm(alice, '/t/bravo/settings/secrets', { secret_name: 'BRAVO_KEY', secret_value: 'replaced-value-000000000' })],
    ["deletes B's secret by URL", () => postForm(alice, '/t/bravo/settings/secrets/BRAVO_KEY/delete', { confirmed: 'yes' })],
    ["deletes B's secret by name under the own slug", () => postForm(alice, '/t/alpha/settings/secrets/BRAVO_KEY/delete', { confirmed: 'yes' })],
    ["attaches a file to B's item", () => uploadFile(alice, '/t/bravo/items/1/attachments', 'file', FIXTURES.pdf, 'x.pdf', 'application/pdf')],
    ["deletes B's file by URL", () => postForm(alice, `/t/bravo/files/${bravoFileId}/delete`, { confirmed: 'yes' })],
    ["deletes B's file by id under the own slug", () => postForm(alice, `/t/alpha/files/${bravoFileId}/delete`, { confirmed: 'yes' })],
  ])('answers 404 and changes nothing in B when a member of A %s', async (_label, act) => {
    const before = await stateOf(b);
    const res = await act();
    expect(res.status).toBe(404);
    expect(await stateOf(b)).toBe(before);
  });

  it("ignores a tenant named in form fields: writes land in the URL's tenant only", async () => {
    const before = await stateOf(b);
    const spoof = { tenant: 'bravo', slug: 'bravo', tenant_id: b.id };
    expect(
      (
        await postForm(alice, '/t/alpha/settings', {
          ...spoof,
          display_name: 'Alpha Brand',
          accent_color: '#007a00',
          time_zone: 'UTC',
          language: 'en',
          storage_quota_mb: '',
        })
      ).status,
    ).toBe(303);
    expect((await postForm(alice, '/t/alpha/settings/secrets', { ...spoof, secret_name: 'BRAVO_KEY', secret_value: 'alpha-own-value-00000000' })).status).toBe(
      303,
    );
    expect(await stateOf(b)).toBe(before);
    expect(await withTenantDb(t.platform, a, (db) => loadTenantSettings(db, 'Alpha').displayName)).toBe('Alpha Brand');
    const box = new SecretBox(t.config.secretsKey);
    expect(await withTenantDb(t.platform, a, (db) => new SecretRepository(db).reveal(box, 'BRAVO_KEY'))).toBe('alpha-own-value-00000000');
    expect(await withTenantDb(t.platform, b, (db) => new SecretRepository(db).reveal(box, 'BRAVO_KEY'))).toBe(BRAVO_SECRET);
  });

  it("stores an upload in the URL's tenant folder only, though both tenants have an item 1", async () => {
    const before = await stateOf(b);
    expect((await uploadFile(alice, '/t/alpha/items/1/attachments', 'file', FIXTURES.pdf, 'alpha.pdf', 'application/pdf')).status).toBe(303);
    expect(await stateOf(b)).toBe(before);
    expect(fs.readdirSync(TenantFileStore.forTenant(t.dataDir, a.id).dir)).toHaveLength(1);
    const page = await alice.get('/t/alpha/items/1');
    expect(page.text).toContain('alpha.pdf');
    expect(page.text).not.toContain('bravo-plan.txt');
  });

  it("never shows B's branding on A's pages", async () => {
    const page = await alice.get('/t/alpha/settings');
    expect(page.status).toBe(200);
    for (const leak of ['Bravo Brand', '#bb0000', 'BRAVO_KEY', '/t/bravo/settings/logo']) expect(page.text).not.toContain(leak);
    expect((await alice.get('/t/alpha/settings/logo')).status).toBe(404);
  });
});
