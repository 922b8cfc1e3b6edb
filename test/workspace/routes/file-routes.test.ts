import request from 'supertest';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { AttachmentRepository, type AttachmentRow } from '../../../workspace/files/attachment-repository';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { TenantFileStore } from '../../../workspace/files/tenant-file-store';
import { auditOf, membershipOf, roleId } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { hashApiToken } from '../../../control-plane/api-tokens/token-secret';
import { revokePersonalToken } from '../../../control-plane/api-tokens/revoke-api-token';
import { changeUserStatus } from '../../../control-plane/users/change-user-status';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { plantAttachments } from '../../support/content';
import { postFormsOf } from '../../support/page-forms';
import { ITEM_PAGE_FILES } from '../../../workspace/pages/item-page';
import { FIXTURES, binaryParser, seedItem, uploadFile, withTenantDb } from '../files/file-fixtures';

describe('item attachments', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let editor: Agent;
  let itemId: number;
  let editorUser: UserRecord;

  const filesDir = () => tenantPaths(t.dataDir, acme.id).files;
  const attachments = () => withTenantDb(t.platform, acme, (db) => new AttachmentRepository(db).listForItem(itemId));
  const upload = (bytes: Buffer, name: string, type = 'application/octet-stream', item = itemId) =>
    uploadFile(editor, `/t/acme/items/${item}/attachments`, 'file', bytes, name, type);
  const uploaded = async (bytes: Buffer, name: string, type?: string): Promise<AttachmentRow> => {
    const res = await upload(bytes, name, type);
    expect(res.status).toBe(303);
    return (await attachments()).at(-1)!;
  };

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    const user = (editorUser = await makeUser(t.platform, { name: 'Edie Editor' }));
    await addMember(t.platform, user, acme, 'editor');
    editor = await signIn(app, user.email);
    itemId = await seedItem(t.platform, acme, 'Launch post');
  });
  afterEach(() => {
    jest.restoreAllMocks();
    return t.cleanup();
  });

  it('stores an upload under a generated name with its metadata, and redirects to the item', async () => {
    const res = await upload(FIXTURES.pdf, 'Brief (final).pdf', 'application/pdf');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/t/acme/items/${itemId}#attachments`);
    const [row] = await attachments();
    expect(row).toMatchObject({
      item_id: itemId,
      original_name: 'Brief (final).pdf',
      content_type: 'application/pdf',
      size_bytes: FIXTURES.pdf.length,
      uploaded_by_name: 'Edie Editor',
    });
    expect(row.id).toMatch(/^f[0-9a-f]{24}$/);
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readdirSync(filesDir())).toEqual([row.stored_name]);
    expect(fs.readFileSync(path.join(filesDir(), row.stored_name))).toEqual(FIXTURES.pdf);
  });

  it('makes one attachment of the same file sent twice at once (a double click): one row, one stored file, one record in the trail', async () => {
    const answers = await Promise.all([upload(FIXTURES.pdf, 'brief.pdf', 'application/pdf'), upload(FIXTURES.pdf, 'brief.pdf', 'application/pdf')]);
    expect(answers.map((a) => a.status)).toEqual([303, 303]);
    const rows = await attachments();
    expect(rows).toHaveLength(1);
    expect(fs.readdirSync(filesDir())).toEqual([rows[0].stored_name]);
    expect(auditOf(t.platform, 'file.uploaded').filter((r) => r.target_id === rows[0].id)).toHaveLength(1);
    // The same bytes under another name, or other bytes under the same name, are another file.
    await uploaded(FIXTURES.pdf, 'brief (2).pdf', 'application/pdf');
    await uploaded(FIXTURES.text, 'notes.txt', 'text/plain');
    await uploaded(Buffer.from('Other notes\n'), 'notes.txt', 'text/plain');
    expect((await attachments()).map((r) => r.original_name)).toEqual(['brief.pdf', 'brief (2).pdf', 'notes.txt', 'notes.txt']);
  });

  it.each(['scheduled', 'published', 'archived'])(
    'keeps the files of a %s item as they were: no upload, no delete (409), and no form offered',
    async (status) => {
      const row = await uploaded(FIXTURES.pdf, 'approved.pdf', 'application/pdf');
      await withTenantDb(t.platform, acme, (db) => db.run('update items set status = ? where id = ?', [status, itemId]));
      const added = await upload(FIXTURES.text, 'late.txt', 'text/plain');
      expect(added.status).toBe(409);
      expect(added.text).toContain('its attachments can no longer change');
      const removed = await postForm(editor, `/t/acme/files/${row.id}/delete`, { confirmed: 'yes' });
      expect(removed.status).toBe(409);
      expect(await attachments()).toEqual([row]);
      expect(fs.readdirSync(filesDir())).toEqual([row.stored_name]);
      const page = await editor.get(`/t/acme/items/${itemId}`);
      expect(page.text).not.toContain('/attachments?_csrf');
      expect(page.text).not.toContain(`/files/${row.id}/delete`);
    },
  );

  it('serves a download with its type, an RFC 5987 file name, nosniff and a sandbox', async () => {
    const row = await uploaded(FIXTURES.csv, 'Plan für Q3 "final".csv', 'text/csv');
    const res = await editor.get(`/t/acme/files/${row.id}`).buffer(true).parse(binaryParser);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Plan f_r Q3 final.csv"; filename*=UTF-8''Plan%20f%C3%BCr%20Q3%20final.csv`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain('sandbox');
    expect(res.body).toEqual(FIXTURES.csv);
  });

  it.each([
    ['a type uploads are never stored with', 'text/html', 'application/octet-stream'],
    ['a type that cannot be a header', 'text/plain\r\nSet-Cookie: sid=x', 'application/octet-stream'],
  ])('serves a file whose row (an edited import) names %s as a download of bytes, not a page or a 500', async (_what, stored, served) => {
    const row = await uploaded(FIXTURES.text, 'notes.txt', 'text/plain');
    await withTenantDb(t.platform, acme, (db) => db.run("update attachments set content_type = ?, sha256 = 'x\"y' where id = ?", [stored, row.id]));
    for (const url of [`/t/acme/files/${row.id}`, `/api/v1/t/acme/files/${row.id}`]) {
      const res = await editor.get(url).buffer(true).parse(binaryParser);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(served);
      expect(String(res.headers['set-cookie'] ?? '')).not.toContain('sid=x');
      expect(res.headers['content-disposition']).toMatch(/^attachment; /);
      expect(String(res.headers.etag ?? '')).not.toContain('x"y');
      expect(res.body).toEqual(FIXTURES.text);
    }
  });

  it("answers a Range outside the file with 416 and the file's size, on the page and in the API, and serves one inside it", async () => {
    const row = await uploaded(FIXTURES.csv, 'plan.csv', 'text/csv');
    for (const url of [`/t/acme/files/${row.id}`, `/api/v1/t/acme/files/${row.id}`]) {
      for (const range of ['bytes=999999-', 'bytes=5-1']) {
        const res = await editor.get(url).set('Range', range);
        expect(res.status).toBe(416);
        expect(res.headers['content-range']).toBe(`bytes */${FIXTURES.csv.length}`);
        expect(res.headers['content-disposition']).toBeUndefined();
      }
      const part = await editor.get(url).set('Range', 'bytes=0-3').buffer(true).parse(binaryParser);
      expect(part.status).toBe(206);
      expect(part.body).toEqual(FIXTURES.csv.subarray(0, 4));
    }
  });

  it('serves downloads when the data folder lies under a hidden folder (~/.local/share/tenantry)', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-home-'));
    const hidden = await createTestPlatform({ DATA_DIR: path.join(home, '.local', 'share', 'tenantry') });
    try {
      const hiddenApp = createApp(hidden.platform).app;
      const tenant = await makeTenant(hidden.platform, 'acme');
      const user = await makeUser(hidden.platform);
      await addMember(hidden.platform, user, tenant, 'editor');
      const agent = await signIn(hiddenApp, user.email);
      const item = await seedItem(hidden.platform, tenant, 'Launch post');
      expect((await uploadFile(agent, `/t/acme/items/${item}/attachments`, 'file', FIXTURES.pdf, 'brief.pdf', 'application/pdf')).status).toBe(303);
      const [row] = await withTenantDb(hidden.platform, tenant, (db) => new AttachmentRepository(db).listForItem(item));
      const res = await agent.get(`/t/acme/files/${row.id}`).buffer(true).parse(binaryParser);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(FIXTURES.pdf);
    } finally {
      await hidden.cleanup();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it.each([
    ['a PNG', FIXTURES.png, 'photo.png', 'image/png'],
    ['a JPEG named .png', FIXTURES.jpeg, 'photo.png', 'image/jpeg'],
    ['a GIF', FIXTURES.gif, 'a.gif', 'image/gif'],
    ['a WebP', FIXTURES.webp, 'a.webp', 'image/webp'],
    ['plain text', FIXTURES.text, 'notes.txt', 'text/plain; charset=utf-8'],
    ['a Word document', FIXTURES.docx, 'brief.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['a legacy Excel sheet', FIXTURES.xls, 'old.xls', 'application/vnd.ms-excel'],
  ])('accepts %s, typed by its bytes', async (_label, bytes, name, expected) => {
    const row = await uploaded(bytes, name, 'application/octet-stream');
    expect(row.content_type).toBe(expected);
  });

  it.each([
    ['an HTML page', FIXTURES.html, 'page.html', 'text/html'],
    ['HTML claiming to be a PNG', FIXTURES.html, 'image.png', 'image/png'],
    ['an SVG', FIXTURES.svg, 'logo.svg', 'image/svg+xml'],
    ['a program', FIXTURES.exe, 'setup.exe', 'application/octet-stream'],
    ['a program named .pdf', FIXTURES.exe, 'report.pdf', 'application/pdf'],
    ['a bare ZIP archive', FIXTURES.docx, 'archive.zip', 'application/zip'],
  ])('refuses %s with a 400 naming the file field, storing nothing', async (_label, bytes, name, type) => {
    const res = await upload(bytes, name, type);
    expect(res.status).toBe(400);
    expect(res.text).toContain('<strong>File</strong>');
    expect(await attachments()).toEqual([]);
    expect(fs.readdirSync(filesDir())).toEqual([]);
  });

  it('refuses a file over 5 MB', async () => {
    const res = await upload(Buffer.concat([FIXTURES.pdf, Buffer.alloc(5 * 1024 * 1024)]), 'huge.pdf', 'application/pdf');
    expect(res.status).toBe(400);
    expect(res.text).toContain('must be at most 5 MB');
    expect(await attachments()).toEqual([]);
  });

  it('shows a refused file on the item page again, the reason at the file field, not on an error page', async () => {
    const res = await upload(Buffer.from('MZ\x90\x00not a document'), 'setup.exe');
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Launch post · ');
    expect(res.text).toContain('<h2 id="attachments-title">Attachments</h2>');
    expect(res.text).toMatch(/<input id="attachment-file" name="file" type="file" required aria-invalid="true" aria-describedby="attachment-file-error"/);
    expect(res.text).toMatch(/<p class="field-error" id="attachment-file-error">File must be an image \(PNG, JPEG, GIF, WebP\), a PDF/);
    // The edit form above keeps the item's own content.
    expect(res.text).toContain('value="Launch post"');
    expect(await attachments()).toEqual([]);
  });

  it('refuses an empty upload and a form without a file', async () => {
    expect((await upload(Buffer.alloc(0), 'empty.txt', 'text/plain')).status).toBe(400);
    expect((await postForm(editor, `/t/acme/items/${itemId}/attachments`, {})).status).toBe(400);
  });

  it('answers 400, not 500, to a malformed or cut-off multipart body', async () => {
    const token = await csrfFrom(editor, '/tenants');
    const res = await editor
      .post(`/t/acme/items/${itemId}/attachments?_csrf=${encodeURIComponent(token)}`)
      .set('Content-Type', 'multipart/form-data; boundary=XYZ')
      .send('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc');
    expect(res.status).toBe(400);
    expect(await attachments()).toEqual([]);
  });

  it('refuses two files in the one file field, saying it takes one, and stores neither', async () => {
    const token = await csrfFrom(editor, '/tenants');
    const res = await editor
      .post(`/t/acme/items/${itemId}/attachments?_csrf=${encodeURIComponent(token)}`)
      .attach('file', FIXTURES.pdf, { filename: 'a.pdf', contentType: 'application/pdf' })
      .attach('file', FIXTURES.pdf, { filename: 'b.pdf', contentType: 'application/pdf' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('must be sent alone, in this field');
    expect(await attachments()).toEqual([]);
    expect(fs.readdirSync(filesDir())).toEqual([]);
  });

  it('refuses a field sent beside the file (400 naming it), on the page and in the API, and stores nothing', async () => {
    const token = await csrfFrom(editor, '/tenants');
    const onPage = await editor
      .post(`/t/acme/items/${itemId}/attachments?_csrf=${encodeURIComponent(token)}`)
      .field('caption', 'The final brief')
      .attach('file', FIXTURES.pdf, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(onPage.status).toBe(400);
    expect(onPage.text).toContain('<strong>Caption</strong> is not a field of this request (it takes file)');
    const apiToken = personalToken(t.platform, editorUser);
    const api = (field: string) =>
      request(app)
        .post(`/api/v1/t/acme/items/${itemId}/attachments`)
        .set(bearer(apiToken))
        .field(field, 'x')
        .attach('file', FIXTURES.pdf, { filename: 'a.pdf', contentType: 'application/pdf' });
    const viaApi = await api('titel');
    expect(viaApi.status).toBe(400);
    expect(viaApi.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(viaApi.body.errors).toEqual([{ field: 'titel', message: 'is not a field of this request (it takes file)' }]);
    // A file under another name is a field it does not take too, named as such.
    const misnamed = await request(app)
      .post(`/api/v1/t/acme/items/${itemId}/attachments`)
      .set(bearer(apiToken))
      .attach('upload', FIXTURES.pdf, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(misnamed.status).toBe(400);
    expect(misnamed.body.errors).toEqual([{ field: 'upload', message: 'is not a field of this request (it takes file)' }]);
    expect(await attachments()).toEqual([]);
    expect(fs.readdirSync(filesDir())).toEqual([]);
    // The CSRF token a form may carry in its body too is not one of them.
    expect((await api('_csrf')).status).toBe(201);
  });

  it('answers 404 for an item that does not exist', async () => {
    expect((await upload(FIXTURES.pdf, 'a.pdf', 'application/pdf', 999)).status).toBe(404);
    expect(fs.readdirSync(filesDir())).toEqual([]);
  });

  /** Sends an upload's first bytes, runs `meanwhile`, then the rest: a slow link, with something changing under it. */
  const uploadInTwoParts = async (url: string, headers: Record<string, string>, meanwhile: () => void) => {
    const boundary = 'slowlink';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="brief.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      FIXTURES.pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      return await new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: (server.address() as AddressInfo).port,
            method: 'POST',
            path: url,
            headers: { ...headers, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': body.length },
          },
          (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)),
        );
        req.on('error', reject);
        req.write(body.subarray(0, 60));
        // Long enough for the request to pass the gates and wait in the upload's parser.
        setTimeout(() => {
          meanwhile();
          req.end(body.subarray(60));
        }, 200);
      });
    } finally {
      server.close();
    }
  };

  it('attaches nothing for a member removed from the workspace while their upload was on its way', async () => {
    const token = await csrfFrom(editor, '/tenants');
    const cookie = (await editor.get('/tenants')).request.cookies;
    const status = await uploadInTwoParts(`/t/acme/items/${itemId}/attachments?_csrf=${encodeURIComponent(token)}`, { Cookie: cookie }, () =>
      t.platform.memberships.markRemoved(membershipOf(t.platform, editorUser, acme).membership_id, acme.id),
    );
    expect(status).toBe(404);
    expect(await attachments()).toEqual([]);
    expect(fs.readdirSync(filesDir())).toEqual([]);
    expect(auditOf(t.platform, 'file.uploaded')).toEqual([]);
  });

  it('attaches nothing through the API for a member whose role lost the right to edit while the upload was on its way', async () => {
    const status = await uploadInTwoParts(`/api/v1/t/acme/items/${itemId}/attachments`, bearer(personalToken(t.platform, editorUser)), () =>
      t.platform.memberships.upsert(editorUser.id, acme.id, roleId(t.platform, 'viewer')),
    );
    expect(status).toBe(403);
    expect(await attachments()).toEqual([]);
    expect(fs.readdirSync(filesDir())).toEqual([]);
  });

  it('attaches nothing through the API for a token revoked while the upload was on its way, and leaves a token of another workspace alone', async () => {
    const token = personalToken(t.platform, editorUser);
    const tokenId = t.platform.apiTokens.findByHash(hashApiToken(token))!.id;
    // Another workspace's member revoking their own token changes nothing for this one.
    const globex = await makeTenant(t.platform, 'globex');
    const outsider = await makeUser(t.platform);
    await addMember(t.platform, outsider, globex, 'owner');
    const theirs = personalToken(t.platform, outsider, { tenant: globex });
    const kept = await uploadInTwoParts(`/api/v1/t/acme/items/${itemId}/attachments`, bearer(token), () =>
      revokePersonalToken(t.platform, outsider.id, t.platform.apiTokens.findByHash(hashApiToken(theirs))!.id, { ip: null, userAgent: null }),
    );
    expect(kept).toBe(201);
    const status = await uploadInTwoParts(`/api/v1/t/acme/items/${itemId}/attachments`, bearer(token), () =>
      revokePersonalToken(t.platform, editorUser.id, tokenId, { ip: null, userAgent: null }),
    );
    expect(status).toBe(401);
    expect(await attachments()).toHaveLength(1);
    expect(fs.readdirSync(filesDir())).toHaveLength(1);
  });

  it('attaches nothing through the API for a token whose user was disabled while the upload was on its way', async () => {
    const status = await uploadInTwoParts(
      `/api/v1/t/acme/items/${itemId}/attachments`,
      bearer(personalToken(t.platform, editorUser)),
      () => void changeUserStatus(t.platform, { destroyAllForUser: () => 0 }, editorUser.id, 'disabled', CLI_OPERATOR),
    );
    expect(status).toBe(401);
    expect(await attachments()).toEqual([]);
    expect(fs.readdirSync(filesDir())).toEqual([]);
  });

  it("attaches nothing when the workspace's plan loses attachments while the upload was on its way, and another workspace's plan changes nothing", async () => {
    const globex = await makeTenant(t.platform, 'globex');
    const token = bearer(personalToken(t.platform, editorUser));
    const url = `/api/v1/t/acme/items/${itemId}/attachments`;
    expect(await uploadInTwoParts(url, token, () => t.platform.plans.setTenantOverrides(globex.id, { features: { attachments: false } }))).toBe(201);
    expect(await uploadInTwoParts(url, token, () => t.platform.plans.setTenantOverrides(acme.id, { features: { attachments: false } }))).toBe(403);
    t.platform.plans.setTenantOverrides(acme.id, { features: {} });
    const csrf = await csrfFrom(editor, '/tenants');
    const cookie = (await editor.get('/tenants')).request.cookies;
    const page = await uploadInTwoParts(`/t/acme/items/${itemId}/attachments?_csrf=${encodeURIComponent(csrf)}`, { Cookie: cookie }, () =>
      t.platform.plans.setTenantOverrides(acme.id, { features: { attachments: false } }),
    );
    expect(page).toBe(404);
    expect(await attachments()).toHaveLength(1);
    expect(fs.readdirSync(filesDir())).toHaveLength(1);
  });

  it("keeps the uploader's file name as a label only, never as a path", async () => {
    const row = await uploaded(FIXTURES.text, '../../../platform.sqlite.txt', 'text/plain');
    expect(row.original_name).toBe('platform.sqlite.txt');
    expect(fs.readdirSync(filesDir())).toEqual([row.stored_name]);
    expect(fs.existsSync(path.join(t.dataDir, 'platform.sqlite.txt'))).toBe(false);
  });

  it('deletes the row and the bytes', async () => {
    const row = await uploaded(FIXTURES.pdf, 'a.pdf', 'application/pdf');
    const res = await postForm(editor, `/t/acme/files/${row.id}/delete`, { confirmed: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/t/acme/items/${itemId}#attachments`);
    expect(await attachments()).toEqual([]);
    expect(fs.readdirSync(filesDir())).toEqual([]);
    expect((await editor.get(`/t/acme/files/${row.id}`)).status).toBe(404);
  });

  it('goes back to the older page of files a file was deleted from, not to the newest', async () => {
    await withTenantDb(t.platform, acme, (db) =>
      plantAttachments(db, itemId, ITEM_PAGE_FILES + 3, { id: editorUser.id, name: editorUser.name }, (i) => 1_700_000_000_000 + i),
    );
    const first = await editor.get(`/t/acme/items/${itemId}`);
    const olderHref = /<a href="([^"]+files_before=[^"]+)">Older<\/a>/.exec(first.text)![1].replace(/&amp;/g, '&');
    const olderPage = olderHref.replace(/#attachments$/, '');
    const older = await editor.get(olderHref);
    const [form] = postFormsOf(older.text, /\/files\/f[0-9a-f]+\/delete$/);
    expect(form.fields.return).toBe(olderPage);
    // Asked first (no JavaScript): cancelling goes back to that page too.
    const asked = await postForm(editor, form.action, { return: form.fields.return });
    expect(asked.text).toContain(`href="${olderPage.replace(/&/g, '&amp;')}#attachments"`);
    const res = await postForm(editor, form.action, { return: form.fields.return, confirmed: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${olderPage}#attachments`);
    expect(await attachments()).toHaveLength(ITEM_PAGE_FILES + 2);
    // A return naming another page (another item, another site) goes to this item's page.
    const [other] = postFormsOf((await editor.get(olderHref)).text, /\/files\/f[0-9a-f]+\/delete$/);
    const elsewhere = await postForm(editor, other.action, { return: '//evil.test/t/acme/items', confirmed: 'yes' });
    expect(elsewhere.headers.location).toBe(`/t/acme/items/${itemId}#attachments`);
  });

  it('answers a delete as done when the file cannot be removed once the row is gone (EACCES): the row goes, the file is left for the sweep, a warning names the tenant and the file', async () => {
    const row = await uploaded(FIXTURES.pdf, 'a.pdf', 'application/pdf');
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    jest.spyOn(TenantFileStore.prototype, 'remove').mockRejectedValue(denied);
    const warn = jest.spyOn(t.platform.logger, 'warn');
    const res = await postForm(editor, `/t/acme/files/${row.id}/delete`, { confirmed: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/t/acme/items/${itemId}#attachments`);
    expect(await attachments()).toEqual([]);
    expect(auditOf(t.platform, 'file.deleted').map((a) => a.target_id)).toEqual([row.id]);
    expect(fs.readdirSync(filesDir())).toEqual([row.stored_name]);
    expect(warn).toHaveBeenCalledWith({ err: denied, tenantId: acme.id, storedName: row.stored_name }, expect.stringContaining('orphan sweep'));
  });

  it('shows the list and the upload form on the item page', async () => {
    const row = await uploaded(FIXTURES.pdf, 'brief.pdf', 'application/pdf');
    const page = await editor.get(`/t/acme/items/${itemId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/t/acme/files/${row.id}"`);
    expect(page.text).toContain('brief.pdf');
    expect(page.text).toMatch(new RegExp(`action="/t/acme/items/${itemId}/attachments\\?_csrf=`));
  });

  it("counts the bytes stored on the settings page, and enforces the plan's storage limit (files and database)", async () => {
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    const ownerAgent = await signIn(app, owner.email);
    t.platform.plans.setTenantOverrides(acme.id, { limits: { storage_bytes: 2 * 1024 * 1024 } });
    await uploaded(FIXTURES.pdf, 'a.pdf', 'application/pdf');
    const settings = await ownerAgent.get('/t/acme/settings');
    expect(settings.text).toContain(`1 file, ${FIXTURES.pdf.length} B`);
    expect(settings.text).toContain('of 2.0 MB');

    const tooMuch = await upload(Buffer.concat([FIXTURES.pdf, Buffer.alloc(2 * 1024 * 1024)]), 'b.pdf', 'application/pdf');
    expect(tooMuch.status).toBe(403);
    expect(tooMuch.text).toContain('Limit reached: Storage.');
    expect(tooMuch.text).toContain('Ask the owners of the workspace to have it raised.');
    expect(await attachments()).toHaveLength(1);
    expect(fs.readdirSync(filesDir())).toHaveLength(1);
  });

  it('sweeps the files of a deleted item once they are old enough', async () => {
    const row = await uploaded(FIXTURES.pdf, 'a.pdf', 'application/pdf');
    await withTenantDb(t.platform, acme, (db) => db.write(() => db.run('delete from items where id = ?', [itemId])));
    expect(await attachments()).toEqual([]);
    // Age the orphan past the sweep's grace period, then trigger a sweep with another upload.
    const old = new Date(Date.now() - 60 * 60 * 1000);
    fs.utimesSync(path.join(filesDir(), row.stored_name), old, old);
    itemId = await seedItem(t.platform, acme, 'Second post');
    const kept = await uploaded(FIXTURES.text, 'b.txt', 'text/plain');
    expect(fs.readdirSync(filesDir())).toEqual([kept.stored_name]);
  });

  describe('path tricks', () => {
    it.each([
      ['a parent-folder id', '/t/acme/files/..%2F..%2Ftenant.sqlite'],
      ['a raw parent-folder path', '/t/acme/files/../tenant.sqlite'],
      ['a double-encoded traversal', '/t/acme/files/%252e%252e%252ftenant.sqlite'],
      ['an absolute path', '/t/acme/files/%2Fetc%2Fpasswd'],
      ['a stored name instead of an id', 'STORED'],
      ['an id with a suffix', 'ID/..'],
      ['an integer', '/t/acme/files/1'],
      ['a NUL byte', '/t/acme/files/f%00'],
    ])('answers 404 to %s', async (_label, url) => {
      const row = await uploaded(FIXTURES.text, 'a.txt', 'text/plain');
      const target = url === 'STORED' ? `/t/acme/files/${row.stored_name}` : url === 'ID/..' ? `/t/acme/files/${row.id}%2F..` : url;
      const res = await editor.get(target);
      expect(res.status).toBe(404);
      expect(res.headers['content-disposition']).toBeUndefined();
      expect((await postForm(editor, target + '/delete', { confirmed: 'yes' })).status).toBe(404);
      expect(await attachments()).toHaveLength(1);
    });
  });
});
