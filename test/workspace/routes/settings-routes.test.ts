import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import { auditOf } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { loadTenantSettings } from '../../../workspace/settings/tenant-settings';
import { SecretRepository } from '../../../workspace/secrets/secret-repository';
import { SecretBox } from '../../../core/crypto/secret-box';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { TenantFileStore } from '../../../workspace/files/tenant-file-store';
import { FIXTURES, binaryParser, jpegDeclaring, pngDeclaring, uploadFile, webpDeclaring, withTenantDb } from '../files/file-fixtures';
import { mainOf } from '../../support/page-main';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

const VALID = { display_name: 'Acme Studio', accent_color: '#AA3366', time_zone: 'Europe/Paris', language: 'fr', storage_quota_mb: '' };
const API_KEY = 'sk-live-9f8e7d6c5b4a39281706abcd';

describe('the settings page', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let owner: Agent;
  let viewer: Agent;

  const settingsOf = () => withTenantDb(t.platform, acme, (db) => loadTenantSettings(db, acme.name));
  const main = mainOf;
  const filesIn = () => fs.readdirSync(tenantPaths(t.dataDir, acme.id).files);

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme Inc');
    const ownerUser = await makeUser(t.platform);
    const viewerUser = await makeUser(t.platform);
    await addMember(t.platform, ownerUser, acme, 'owner');
    await addMember(t.platform, viewerUser, acme, 'viewer');
    owner = await signIn(app, ownerUser.email);
    viewer = await signIn(app, viewerUser.email);
  });
  afterEach(() => t.cleanup());

  describe('general settings', () => {
    it('shows the seeded display name and saves every field', async () => {
      const page = await owner.get('/t/acme/settings');
      expect(page.status).toBe(200);
      expect(page.text).toContain('value="Acme Inc"');

      const res = await postForm(owner, '/t/acme/settings', VALID);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/t/acme/settings?saved=settings');
      expect(await settingsOf()).toMatchObject({
        displayName: 'Acme Studio',
        accentColor: '#aa3366',
        timeZone: 'Europe/Paris',
        language: 'fr',
      });
    });

    it('records one change in the trail when the same form is sent twice at once (a double click), and none for a save that changes nothing', async () => {
      const _csrf = await csrfFrom(owner, '/t/acme/settings');
      const send = () =>
        owner
          .post('/t/acme/settings')
          .type('form')
          .send({ ...VALID, _csrf });
      expect((await Promise.all([send(), send()])).map((r) => r.status)).toEqual([303, 303]);
      const records = auditOf(t.platform, 'tenant.settings.updated');
      expect(records).toHaveLength(1);
      expect(JSON.parse(records[0].after as string)).toMatchObject({ display_name: 'Acme Studio' });
      expect((await postForm(owner, '/t/acme/settings', VALID)).status).toBe(303);
      expect(auditOf(t.platform, 'tenant.settings.updated')).toHaveLength(1);
    });

    it("shows a pending deletion request's time on the workspace's clock, as its other pages show times", async () => {
      expect((await postForm(owner, '/t/acme/settings', { ...VALID, language: 'en' })).status).toBe(303);
      expect((await postForm(owner, '/t/acme/settings/deletion-request', { confirm: 'acme', reason: 'Closing' }, '/tenants')).status).toBe(303);
      t.platform.db.run('update tenant_deletion_requests set requested_at = ? where tenant_id = ?', [Date.UTC(2025, 2, 1, 9, 30, 45), acme.id]);

      const page = main((await owner.get('/t/acme/settings')).text);

      expect(page).toContain('asked on 2025-03-01 10:30 CET for this workspace to be deleted');
    });

    it("no longer offers a storage limit, and an owner posting a limit field changes neither the tenant's limits nor its file", async () => {
      t.platform.plans.setTenantOverrides(acme.id, { limits: { storage_bytes: 5 * 1024 * 1024, members: 3 } });
      const before = t.platform.planBook.entitlementsOf(acme.id);
      const page = await owner.get('/t/acme/settings');
      expect(page.text).not.toContain('name="storage_quota_mb"');
      expect(page.text).toContain('<tr data-limit="storage_bytes"><td>Storage</td><td>5.0 MB</td></tr>');

      const res = await postForm(owner, '/t/acme/settings', { ...VALID, storage_quota_mb: '', storage_bytes: '', members: '1000', limits: 'none' });
      expect(res.status).toBe(303);
      expect(t.platform.planBook.entitlementsOf(acme.id)).toEqual(before);
      expect(t.platform.plans.tenantPlan(acme.id)?.limitOverrides).toEqual({ storage_bytes: 5 * 1024 * 1024, members: 3 });
      const keys = await withTenantDb(t.platform, acme, (db) => db.all<{ key: string }>('select key from settings').map((row) => row.key));
      expect(keys).not.toContain('storage_quota_mb');
      expect(keys).not.toContain('members');
    });

    it('keeps the admin-facing tenant name in the control plane unchanged', async () => {
      await postForm(owner, '/t/acme/settings', VALID);
      expect(t.platform.tenants.findBySlug('acme')?.name).toBe('Acme Inc');
    });

    it.each([
      ['display_name', { display_name: '   ' }],
      ['display_name', { display_name: 'x'.repeat(101) }],
      ['accent_color', { accent_color: 'red' }],
      ['accent_color', { accent_color: '#12345' }],
      ['accent_color', { accent_color: '#123456;}body{display:none' }],
      // Too light for white button labels (#ffdd00, 1.4:1) or for links on the menu's tinted bar (#00aa00, 2.7:1).
      ['accent_color', { accent_color: '#ffdd00' }],
      ['accent_color', { accent_color: '#00aa00' }],
      ['time_zone', { time_zone: 'Mars/Olympus_Mons' }],
      ['language', { language: 'xx' }],
    ])('answers 400 naming %s and writes nothing when it is %j', async (field, bad) => {
      const before = await settingsOf();
      const res = await postForm(owner, '/t/acme/settings', { ...VALID, ...bad });
      expect(res.status).toBe(400);
      expect(res.text).toContain(`id="${field}-error"`);
      expect(await settingsOf()).toEqual(before);
    });

    it.each([
      ['Asia/Kolkata', 'Asia/Calcutta', 'Asia/Kolkata'],
      ['Europe/Kyiv', 'Europe/Kiev', 'Europe/Kyiv'],
      ['US/Pacific', 'America/Los_Angeles', 'America/Los_Angeles'],
    ])('takes the zone %s under the name the list offers, %s, and shows it as %s', async (typed, listed, shown) => {
      expect((await postForm(owner, '/t/acme/settings', { ...VALID, time_zone: typed })).status).toBe(303);
      expect((await settingsOf()).timeZone).toBe(listed);
      const page = (await owner.get('/t/acme/settings')).text;
      expect(page).toContain(`<option value="${listed}" selected>${shown}</option>`);
      expect((await owner.get('/t/acme/items/new')).text).toContain(`Date de publication prévue (${shown})`);
    });

    it('lists each zone under its current name, among the names it sorts with (Kolkata among the K’s of Asia)', async () => {
      const page = (await owner.get('/t/acme/settings')).text;
      const labels = [...page.matchAll(/<option value="(Asia\/[^"]+)"[^>]*>([^<]+)<\/option>/g)].map((m) => m[2]);
      const at = labels.indexOf('Asia/Kolkata');
      expect(at).toBeGreaterThan(0);
      expect(labels.slice(at - 1, at + 2)).toEqual(['Asia/Khandyga', 'Asia/Kolkata', 'Asia/Krasnoyarsk']);
      expect(labels).not.toContain('Asia/Calcutta');
    });

    describe('two people saving the form they opened', () => {
      /** The revision the settings form of a page sends back. */
      const revisionOf = (html: string) => {
        const form = /<form method="post" action="\/t\/acme\/settings">([\s\S]*?)<\/form>/.exec(html);
        const revision = form && /name="revision" value="([^"]*)"/.exec(form[1])?.[1];
        if (!revision) throw new Error('the settings form sends no revision');
        return revision;
      };
      const FORM = { display_name: 'Acme Inc', accent_color: '#2f5bd3', time_zone: 'UTC', language: 'en' };
      let admin: Agent;

      beforeEach(async () => {
        const adminUser = await makeUser(t.platform);
        await addMember(t.platform, adminUser, acme, 'admin');
        admin = await signIn(app, adminUser.email);
      });

      it("refuses the second save made on the page both opened (409): the first one's change stays, nothing is written, and the form shows the settings as they are now with a notice", async () => {
        const [ownerSaw, adminSaw] = (await Promise.all([owner.get('/t/acme/settings'), admin.get('/t/acme/settings')])).map((page) => revisionOf(page.text));
        expect([ownerSaw, adminSaw]).toEqual(['1', '1']);
        expect((await postForm(owner, '/t/acme/settings', { ...FORM, time_zone: 'Europe/Paris', revision: ownerSaw })).status).toBe(303);
        const before = await settingsOf();
        const records = auditOf(t.platform, 'tenant.settings.updated').length;

        const res = await postForm(admin, '/t/acme/settings', { ...FORM, accent_color: '#aa3366', revision: adminSaw });

        expect(res.status).toBe(409);
        expect(await settingsOf()).toEqual(before);
        expect(before).toMatchObject({ timeZone: 'Europe/Paris', accentColor: '#2f5bd3' });
        expect(auditOf(t.platform, 'tenant.settings.updated')).toHaveLength(records);
        const text = mainOf(res.text);
        expect(text).toContain('These settings were changed since you opened them (now revision 2)');
        expect(res.text).toContain('<option value="Europe/Paris" selected>');
        expect(res.text).toContain('value="#2f5bd3"');
        expect(revisionOf(res.text)).toBe('2');
        // Sent again from the page shown, on the current revision, the change is made and the other kept.
        expect((await postForm(admin, '/t/acme/settings', { ...FORM, time_zone: 'Europe/Paris', accent_color: '#aa3366', revision: '2' })).status).toBe(303);
        expect(await settingsOf()).toMatchObject({ timeZone: 'Europe/Paris', accentColor: '#aa3366', revision: 3 });
      });

      it('keeps the first of two saves sent at once on the same revision and refuses the other', async () => {
        const [a, b] = await Promise.all([
          postForm(owner, '/t/acme/settings', { ...FORM, language: 'fr', revision: '1' }),
          postForm(admin, '/t/acme/settings', { ...FORM, time_zone: 'Europe/Paris', revision: '1' }),
        ]);
        expect([a.status, b.status].sort()).toEqual([303, 409]);
        const kept = a.status === 303 ? { language: 'fr', timeZone: 'UTC' } : { language: 'en', timeZone: 'Europe/Paris' };
        expect(await settingsOf()).toMatchObject({ ...kept, revision: 2 });
      });

      it('keeps the revision on a save that changes nothing, and takes a form sent without a revision as before', async () => {
        expect((await postForm(owner, '/t/acme/settings', { ...FORM, revision: '1' })).status).toBe(303);
        expect((await settingsOf()).revision).toBe(1);
        expect((await postForm(owner, '/t/acme/settings', { ...FORM, language: 'fr' })).status).toBe(303);
        expect(await settingsOf()).toMatchObject({ language: 'fr', revision: 2 });
      });

      it('answers 400 naming the revision when it is not a revision number, changing nothing', async () => {
        const before = await settingsOf();
        const res = await postForm(owner, '/t/acme/settings', { ...FORM, language: 'fr', revision: 'latest' });
        expect(res.status).toBe(400);
        expect(res.text).toContain('must be the revision the page showed');
        expect(await settingsOf()).toEqual(before);
      });

      describe('a double click on Save', () => {
        const CHANGE = { ...FORM, time_zone: 'Europe/Paris', language: 'fr', revision: '1' };
        const SAVED = { timeZone: 'Europe/Paris', language: 'fr', revision: 2 };

        it('answers both sends of the same form as a save, one after the other, with one change recorded and the revision raised once', async () => {
          const first = await postForm(owner, '/t/acme/settings', CHANGE);
          const second = await postForm(owner, '/t/acme/settings', CHANGE);

          expect([first.status, second.status]).toEqual([303, 303]);
          expect(second.headers.location).toBe(first.headers.location);
          expect(await settingsOf()).toMatchObject(SAVED);
          expect(auditOf(t.platform, 'tenant.settings.updated')).toHaveLength(1);
        });

        it('answers both sends of the same form as a save when they arrive at once, with one change recorded', async () => {
          const answers = await Promise.all([postForm(owner, '/t/acme/settings', CHANGE), postForm(owner, '/t/acme/settings', CHANGE)]);

          expect(answers.map((res) => res.status)).toEqual([303, 303]);
          expect(await settingsOf()).toMatchObject(SAVED);
          expect(auditOf(t.platform, 'tenant.settings.updated')).toHaveLength(1);
        });

        it('still refuses (409) a form sent again on the old revision that would change a field, writing nothing', async () => {
          expect((await postForm(owner, '/t/acme/settings', CHANGE)).status).toBe(303);
          const before = await settingsOf();

          const res = await postForm(owner, '/t/acme/settings', { ...CHANGE, accent_color: '#aa3366' });

          expect(res.status).toBe(409);
          expect(await settingsOf()).toEqual(before);
          expect(auditOf(t.platform, 'tenant.settings.updated')).toHaveLength(1);
        });
      });

      it("is not helped by the revision another workspace's settings are at", async () => {
        const other = await makeTenant(t.platform, 'other');
        await withTenantDb(t.platform, other, (db) =>
          db.write(() => db.run("insert into settings (key, value, updated_at) values ('settings_revision', '7', 0)")),
        );
        expect((await postForm(owner, '/t/acme/settings', { ...FORM, language: 'fr', revision: '1' })).status).toBe(303);
        const before = await settingsOf();

        const res = await postForm(admin, '/t/acme/settings', { ...FORM, accent_color: '#aa3366', revision: '7' });

        expect(res.status).toBe(409);
        expect(await settingsOf()).toEqual(before);
      });
    });

    it('re-shows what was typed beside the errors', async () => {
      const res = await postForm(owner, '/t/acme/settings', { ...VALID, display_name: 'Typed name', accent_color: 'blue' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('value="Typed name"');
      expect(res.text).toContain('value="blue"');
    });
  });

  describe('branding', () => {
    it('puts the display name, accent colour and logo on every page of the workspace', async () => {
      await postForm(owner, '/t/acme/settings', VALID);
      await uploadFile(owner, '/t/acme/settings/logo', 'logo', FIXTURES.png, 'logo.png', 'image/png');
      const home = await owner.get('/t/acme');
      expect(home.text).toContain(':root { --accent: #aa3366; }');
      expect(home.text).toContain('Acme Studio');
      expect(home.text).toMatch(/<img src="\/t\/acme\/settings\/logo\?v=[0-9a-f]{16}"/);
      expect(home.text).toContain('<html lang="fr">');
    });

    it('leaves pages outside a workspace unbranded', async () => {
      await postForm(owner, '/t/acme/settings', VALID);
      const list = await owner.get('/tenants');
      expect(list.text).not.toContain('--accent: #aa3366');
    });

    it('shows the Settings link to members who may see settings', async () => {
      expect((await viewer.get('/t/acme')).text).toContain('href="/t/acme/settings"');
    });
  });

  describe('the logo', () => {
    it('is stored under a generated name and served with its type, nosniff and cache headers', async () => {
      const res = await uploadFile(owner, '/t/acme/settings/logo', 'logo', FIXTURES.png, '../../evil.png', 'image/png');
      expect(res.status).toBe(303);
      const logo = (await settingsOf()).logo!;
      expect(filesIn()).toEqual([logo.file]);
      expect(logo.file).toMatch(/^[0-9a-f]{32}$/);

      const served = await owner
        .get(`/t/acme/settings/logo?v=${logo.sha256.slice(0, 16)}`)
        .buffer(true)
        .parse(binaryParser);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe('image/png');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(served.headers['cache-control']).toContain('immutable');
      expect(served.headers.etag).toBe(`"${logo.sha256}"`);
      expect(Buffer.compare(served.body as Buffer, FIXTURES.png)).toBe(0);

      const again = await owner.get('/t/acme/settings/logo').set('If-None-Match', `"${logo.sha256}"`);
      expect(again.status).toBe(304);
    });

    it('refuses a field sent beside the logo with a 400 naming it, storing nothing', async () => {
      const token = await csrfFrom(owner, '/tenants');
      const res = await owner
        .post(`/t/acme/settings/logo?_csrf=${encodeURIComponent(token)}`)
        .field('display_name', 'Renamed')
        .attach('logo', FIXTURES.png, { filename: 'logo.png', contentType: 'image/png' });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/<strong>[^<]+<\/strong> is not a field of this request \(it takes logo\)/);
      expect((await settingsOf()).logo).toBeNull();
      expect(filesIn()).toEqual([]);
    });

    it('is typed by its bytes: a PNG named .jpg and declared image/jpeg is kept and served as image/png', async () => {
      const res = await uploadFile(owner, '/t/acme/settings/logo', 'logo', FIXTURES.png, 'logo.jpg', 'image/jpeg');
      expect(res.status).toBe(303);
      expect((await settingsOf()).logo?.contentType).toBe('image/png');
      expect((await owner.get('/t/acme/settings/logo')).headers['content-type']).toBe('image/png');
    });

    it('accepts JPEG and WebP', async () => {
      expect((await uploadFile(owner, '/t/acme/settings/logo', 'logo', FIXTURES.jpeg, 'a.jpg', 'image/jpeg')).status).toBe(303);
      expect((await uploadFile(owner, '/t/acme/settings/logo', 'logo', FIXTURES.webp, 'a.webp', 'image/webp')).status).toBe(303);
      expect((await settingsOf()).logo?.contentType).toBe('image/webp');
      // The replaced logo's file is gone.
      expect(filesIn()).toHaveLength(1);
    });

    it.each([
      ['an HTML file claiming image/png', FIXTURES.html, 'logo.png', 'image/png'],
      ['an SVG image', FIXTURES.svg, 'logo.svg', 'image/svg+xml'],
      ['a GIF (not a logo format)', FIXTURES.gif, 'logo.gif', 'image/gif'],
      ['a program named .png', FIXTURES.exe, 'logo.png', 'image/png'],
      ['an image over 512 KB', Buffer.concat([FIXTURES.png, Buffer.alloc(512 * 1024)]), 'big.png', 'image/png'],
      // A few bytes that every member's browser would try to decode into gigabytes on every page.
      ['a PNG declaring 50,000 × 50,000 pixels', pngDeclaring(50_000, 50_000), 'bomb.png', 'image/png'],
      ['a JPEG declaring 60,000 × 300 pixels', jpegDeclaring(60_000, 300), 'bomb.jpg', 'image/jpeg'],
      ['a WebP declaring 16,384 × 16,384 pixels', webpDeclaring(16_384, 16_384), 'bomb.webp', 'image/webp'],
      ['a PNG cut off after its signature', FIXTURES.png.subarray(0, 8), 'cut.png', 'image/png'],
    ])('refuses %s with a 400 naming the logo field, storing nothing', async (_label, bytes, name, type) => {
      const res = await uploadFile(owner, '/t/acme/settings/logo', 'logo', bytes, name, type);
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="logo-error"');
      expect((await settingsOf()).logo).toBeNull();
      expect(filesIn()).toEqual([]);
    });

    it('accepts a logo of 4096 pixels a side, and names the size it refuses one pixel over', async () => {
      expect((await uploadFile(owner, '/t/acme/settings/logo', 'logo', pngDeclaring(4096, 4096), 'a.png', 'image/png')).status).toBe(303);
      const res = await uploadFile(owner, '/t/acme/settings/logo', 'logo', webpDeclaring(4097, 20), 'b.webp', 'image/webp');
      expect(res.status).toBe(400);
      expect(res.text).toContain('must be at most 4096 × 4096 pixels (this one is 4097 × 20)');
      expect((await settingsOf()).logo?.contentType).toBe('image/png');
    });

    it('refuses an empty file', async () => {
      const res = await uploadFile(owner, '/t/acme/settings/logo', 'logo', Buffer.alloc(0), 'empty.png', 'image/png');
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="logo-error"');
      expect(filesIn()).toEqual([]);
    });

    it('refuses an upload without a file', async () => {
      const res = await postForm(owner, '/t/acme/settings/logo', {});
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="logo-error"');
    });

    it('refuses a multipart upload without a CSRF token', async () => {
      const res = await owner.post('/t/acme/settings/logo').attach('logo', FIXTURES.png, { filename: 'a.png', contentType: 'image/png' });
      expect(res.status).toBe(403);
      expect((await settingsOf()).logo).toBeNull();
    });

    it('can be removed, and then answers 404', async () => {
      await uploadFile(owner, '/t/acme/settings/logo', 'logo', FIXTURES.png, 'a.png', 'image/png');
      expect((await postForm(owner, '/t/acme/settings/logo/delete', { confirmed: 'yes' })).status).toBe(303);
      expect((await settingsOf()).logo).toBeNull();
      expect(filesIn()).toEqual([]);
      expect((await owner.get('/t/acme/settings/logo')).status).toBe(404);
    });

    it('is replaced and removed as asked when the old file cannot be removed afterwards (EACCES): the change stands, is audited, and the file is left for the sweep with a warning', async () => {
      await uploadFile(owner, '/t/acme/settings/logo', 'logo', FIXTURES.png, 'a.png', 'image/png');
      const first = (await settingsOf()).logo!;
      const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      const remove = jest.spyOn(TenantFileStore.prototype, 'remove').mockRejectedValue(denied);
      const warn = jest.spyOn(t.platform.logger, 'warn');
      try {
        expect((await uploadFile(owner, '/t/acme/settings/logo', 'logo', FIXTURES.png, 'b.png', 'image/png')).status).toBe(303);
        const second = (await settingsOf()).logo!;
        expect(second.file).not.toBe(first.file);
        expect((await postForm(owner, '/t/acme/settings/logo/delete', { confirmed: 'yes' })).status).toBe(303);
        expect((await settingsOf()).logo).toBeNull();
        expect(auditOf(t.platform, 'tenant.logo.changed')).toHaveLength(2);
        expect(auditOf(t.platform, 'tenant.logo.removed')).toHaveLength(1);
        expect(
          warn.mock.calls.filter(([, text]) => String(text).includes('orphan sweep')).map(([fields]) => (fields as { storedName: string }).storedName),
        ).toEqual([first.file, second.file]);
      } finally {
        remove.mockRestore();
        warn.mockRestore();
      }
    });

    it.each([
      ['a page type', { contentType: 'text/html' }],
      ['a header break in its type', { contentType: 'image/png\r\nSet-Cookie: x=1' }],
      ['a header break in its hash', { sha256: 'a'.repeat(16) + '\r\nSet-Cookie: x=1' }],
    ])('is not served from a record with %s (an edited import, a row written by hand): 404, never the page or a 500', async (_label, change) => {
      await uploadFile(owner, '/t/acme/settings/logo', 'logo', FIXTURES.png, 'a.png', 'image/png');
      const logo = (await settingsOf()).logo!;
      await withTenantDb(t.platform, acme, (db) => db.run("update settings set value = ? where key = 'logo'", [JSON.stringify({ ...logo, ...change })]));
      const res = await owner.get('/t/acme/settings/logo');
      expect(res.status).toBe(404);
    });
  });

  describe('secrets', () => {
    const box = () => new SecretBox(t.config.secretsKey);
    const secretsOf = () => withTenantDb(t.platform, acme, (db) => new SecretRepository(db).list().map((s) => s.name));

    it('are saved encrypted and listed masked, never in full', async () => {
      const res = await postForm(owner, '/t/acme/settings/secrets', { secret_name: 'OPENAI_API_KEY', secret_value: API_KEY });
      expect(res.status).toBe(303);
      const page = await owner.get('/t/acme/settings');
      expect(page.text).toContain('OPENAI_API_KEY');
      expect(page.text).toContain('sk-…abcd');
      expect(page.text).not.toContain(API_KEY);
      expect(page.text).not.toContain('9f8e7d6c');
      expect(await withTenantDb(t.platform, acme, (db) => new SecretRepository(db).reveal(box(), 'OPENAI_API_KEY'))).toBe(API_KEY);
      // Nothing in the tenant's file holds the value in clear.
      const file = fs.readFileSync(tenantPaths(t.dataDir, acme.id).database);
      const wal = `${tenantPaths(t.dataDir, acme.id).database}-wal`;
      const bytes = fs.existsSync(wal) ? Buffer.concat([file, fs.readFileSync(wal)]) : file;
      expect(bytes.includes(Buffer.from(API_KEY))).toBe(false);
    });

    it('are replaced by saving under the same name', async () => {
      await postForm(owner, '/t/acme/settings/secrets', { secret_name: 'MAIL_KEY', secret_value: 'first-value-000000001111' });
      await postForm(owner, '/t/acme/settings/secrets', { secret_name: 'MAIL_KEY', secret_value: 'second-value-00000002222' });
      expect(await secretsOf()).toEqual(['MAIL_KEY']);
      expect(await withTenantDb(t.platform, acme, (db) => new SecretRepository(db).reveal(box(), 'MAIL_KEY'))).toBe('second-value-00000002222');
    });

    it('record one change when the same value is saved twice at once (a double click), and a replacement with another value', async () => {
      const _csrf = await csrfFrom(owner, '/t/acme/settings');
      const send = () => owner.post('/t/acme/settings/secrets').type('form').send({ secret_name: 'SMTP_KEY', secret_value: 'same-value-000000003333', _csrf });
      expect((await Promise.all([send(), send()])).map((r) => r.status)).toEqual([303, 303]);
      await postForm(owner, '/t/acme/settings/secrets', { secret_name: 'SMTP_KEY', secret_value: 'other-value-00000004444' });
      const rows = t.platform.db
        .connection()
        .prepare("select action from audit_events where action like 'tenant.secret.%' and target_id = 'SMTP_KEY'")
        .pluck()
        .all();
      expect(rows).toEqual(['tenant.secret.added', 'tenant.secret.replaced']);
      expect(await withTenantDb(t.platform, acme, (db) => new SecretRepository(db).reveal(box(), 'SMTP_KEY'))).toBe('other-value-00000004444');
    });

    it('are deleted; the same deletion sent again by the same member, after or at once, is answered as done, and recorded once', async () => {
      await postForm(owner, '/t/acme/settings/secrets', { secret_name: 'MAIL_KEY', secret_value: 'first-value-000000001111' });
      const remove = (name: string, as = owner) => postForm(as, `/t/acme/settings/secrets/${name}/delete`, { confirmed: 'yes' });
      const first = await remove('MAIL_KEY');
      expect(first.status).toBe(303);
      expect(await secretsOf()).toEqual([]);
      const again = await remove('MAIL_KEY');
      expect([again.status, again.headers.location]).toEqual([303, first.headers.location]);
      expect(main((await owner.get(again.headers.location)).text)).toContain('Secret deleted.');

      await postForm(owner, '/t/acme/settings/secrets', { secret_name: 'AT_ONCE', secret_value: 'first-value-000000005555' });
      expect((await Promise.all([remove('AT_ONCE'), remove('AT_ONCE')])).map((r) => [r.status, r.headers.location])).toEqual([
        [303, first.headers.location],
        [303, first.headers.location],
      ]);
      const records = (name: string) => auditOf(t.platform, 'tenant.secret.deleted').filter((e) => e.target_id === name);
      expect([records('MAIL_KEY').length, records('AT_ONCE').length]).toEqual([1, 1]);
    });

    it('answer a deletion of a secret the workspace no longer has with a 404 for another member, or for the same one long after', async () => {
      await postForm(owner, '/t/acme/settings/secrets', { secret_name: 'GONE_KEY', secret_value: 'first-value-000000006666' });
      expect((await postForm(owner, '/t/acme/settings/secrets/GONE_KEY/delete', { confirmed: 'yes' })).status).toBe(303);
      const otherOwner = await makeUser(t.platform);
      await addMember(t.platform, otherOwner, acme, 'owner');
      expect((await postForm(await signIn(app, otherOwner.email), '/t/acme/settings/secrets/GONE_KEY/delete', { confirmed: 'yes' })).status).toBe(404);
      t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'tenant.secret.deleted' and target_id = 'GONE_KEY'", [
        DOUBLE_SUBMIT_MS + 1000,
      ]);
      expect((await postForm(owner, '/t/acme/settings/secrets/GONE_KEY/delete', { confirmed: 'yes' })).status).toBe(404);
      expect(auditOf(t.platform, 'tenant.secret.deleted').filter((e) => e.target_id === 'GONE_KEY')).toHaveLength(1);
    });

    it.each([
      ['secret_name', { secret_name: '', secret_value: API_KEY }],
      ['secret_name', { secret_name: '1BAD NAME', secret_value: API_KEY }],
      ['secret_name', { secret_name: '../etc', secret_value: API_KEY }],
      ['secret_value', { secret_name: 'GOOD', secret_value: '' }],
      ['secret_value', { secret_name: 'GOOD', secret_value: 'x'.repeat(4097) }],
      ['secret_value', { secret_name: 'GOOD', secret_value: 'two\nlines' }],
    ])('answer 400 naming %s, store nothing and never echo the value', async (field, body) => {
      const res = await postForm(owner, '/t/acme/settings/secrets', body);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`id="${field}-error"`);
      expect(res.text).not.toContain(API_KEY);
      expect(await secretsOf()).toEqual([]);
    });

    it('keep the name typed when the form is refused, never the value', async () => {
      const res = await postForm(owner, '/t/acme/settings/secrets', { secret_name: '1BAD NAME', secret_value: API_KEY });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/<input id="secret_name" name="secret_name" type="text"\s+value="1BAD NAME"/);
      expect(res.text).not.toContain(API_KEY);
      const missing = await postForm(owner, '/t/acme/settings/secrets', { secret_name: 'MAILCHIMP_API_KEY', secret_value: '' });
      expect(missing.text).toMatch(/value="MAILCHIMP_API_KEY"/);
    });

    it('never reach the audit trail or the log with their value', async () => {
      await postForm(owner, '/t/acme/settings/secrets', { secret_name: 'OPENAI_API_KEY', secret_value: API_KEY });
      const rows = t.platform.db.connection().prepare("select action, target_id, before, after from audit_events where action like 'tenant.secret.%'").all();
      expect(rows).toEqual([{ action: 'tenant.secret.added', target_id: 'OPENAI_API_KEY', before: null, after: null }]);
      expect(JSON.stringify(t.platform.db.connection().prepare('select * from audit_events').all())).not.toContain(API_KEY);
    });
  });

  describe('for a viewer', () => {
    it('is read-only: no forms and no buttons', async () => {
      await postForm(owner, '/t/acme/settings/secrets', { secret_name: 'MAIL_KEY', secret_value: 'first-value-000000001111' });
      const page = await viewer.get('/t/acme/settings');
      expect(page.status).toBe(200);
      const body = main(page.text);
      expect(body).toContain('Acme Inc');
      expect(body).toContain('MAIL_KEY');
      expect(body).not.toContain('<form');
      expect(body).not.toContain('<button');
      expect(body).not.toContain('<input');
    });
  });

  describe('storage', () => {
    it('shows the bytes the workspace stores', async () => {
      await uploadFile(owner, '/t/acme/settings/logo', 'logo', FIXTURES.png, 'a.png', 'image/png');
      const page = await owner.get('/t/acme/settings');
      expect(page.text).toContain(`${FIXTURES.png.length} B`);
    });
  });
});
