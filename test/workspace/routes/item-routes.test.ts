import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import { postFormsOf } from '../../support/page-forms';
import { ITEMS_PAGE_SIZE } from '../../../workspace/pages/items-page';
import fs from 'node:fs';
import { DAY, inTenant, itemSnapshot, makeItem, tenantContent } from '../../support/content';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { zonedClock } from '../../../core/time/zoned-clock';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { bearer, ownerToken, personalToken } from '../../support/api-tokens';
import { ItemRepository } from '../../../workspace/items/item-repository';
import { AttachmentRepository } from '../../../workspace/files/attachment-repository';
import { STORED_FILE_NAME, tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { TenantFileStore } from '../../../workspace/files/tenant-file-store';
import { auditOf } from '../../support/team';
import { FIXTURES, uploadFile } from '../files/file-fixtures';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

/** Form values as a browser in a UTC workspace sends them. */
const toDateTimeLocal = zonedClock('UTC').input;

describe('item pages', () => {
  let t: TestPlatform;
  let tenant: TenantRecord;
  let owner: Agent;
  let ownerUser: UserRecord;
  let approver: Agent;
  let app: ReturnType<typeof createApp>['app'];

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    tenant = await makeTenant(t.platform, 'studio');
    ownerUser = await makeUser(t.platform, { name: 'Olive Owner' });
    await addMember(t.platform, ownerUser, tenant, 'owner');
    owner = await signIn(app, ownerUser.email);
    const approverUser = await makeUser(t.platform, { name: 'Abe Approver' });
    await addMember(t.platform, approverUser, tenant, 'approver');
    approver = await signIn(app, approverUser.email);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    return t.cleanup();
  });

  it('creates a draft with channel, tags and planned time, and records its creation', async () => {
    const res = await postForm(owner, '/t/studio/items', {
      title: 'Spring launch',
      body: 'Copy',
      channel: 'blog',
      tags: 'Launch, spring ,launch',
      scheduled_at: '2031-03-01T09:30',
    });
    expect(res.status).toBe(303);
    const id = Number(/items\/(\d+)$/.exec(res.headers.location)?.[1]);
    const snap = await itemSnapshot(t.platform, tenant, id);
    expect(snap.item).toMatchObject({
      title: 'Spring launch',
      status: 'draft',
      channel: 'blog',
      scheduled_at: Date.UTC(2031, 2, 1, 9, 30),
      created_by: ownerUser.id,
    });
    expect(snap.tags).toEqual([{ tag: 'launch' }, { tag: 'spring' }]);
    expect(snap.history).toEqual([
      expect.objectContaining({ action: 'create', from_status: null, to_status: 'draft', actor_id: ownerUser.id, actor_name: 'Olive Owner' }),
    ]);
    const page = await owner.get(`/t/studio/items/${id}`);
    expect(page.text).toContain('2031-03-01 09:30 UTC');
  });

  it.each([
    ['title', { title: '', body: '' }],
    ['title', { title: 'x'.repeat(201), body: '' }],
    ['body', { title: 'ok', body: 'x'.repeat(20001) }],
    ['channel', { title: 'ok', channel: 'c'.repeat(51) }],
    ['tags', { title: 'ok', tags: 'fine, <bad>' }],
    ['scheduled_at', { title: 'ok', scheduled_at: 'next tuesday' }],
    ['scheduled_at', { title: 'ok', scheduled_at: '2031-02-30T10:00' }],
  ])('answers 400 naming %s on the new-item form, and writes nothing', async (field, body) => {
    const res = await postForm(owner, '/t/studio/items', body as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.text).toContain(`id="${field}-error"`);
    expect((await tenantContent(t.platform, tenant)).items).toEqual([]);
  });

  it.each([
    ['title', { title: ' ', body: 'b' }],
    ['scheduled_at', { title: 'ok', body: 'b', scheduled_at: '31/12/2031' }],
  ])('answers 400 naming %s on the edit form, and changes nothing', async (field, body) => {
    const item = await makeItem(t.platform, tenant);
    const before = await itemSnapshot(t.platform, tenant, item.id);
    const res = await postForm(owner, `/t/studio/items/${item.id}`, body);
    expect(res.status).toBe(400);
    expect(res.text).toContain(`id="${field}-error"`);
    expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
  });

  it('refuses to edit a scheduled item (409) and changes nothing', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'scheduled', scheduledAt: Date.now() + DAY });
    const before = await itemSnapshot(t.platform, tenant, item.id);
    expect((await postForm(owner, `/t/studio/items/${item.id}`, { title: 'changed', body: '' })).status).toBe(409);
    expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
  });

  it.each([
    ['schedule', 'publish_at', { publish_at: 'soon' }],
    ['schedule', 'publish_at', { publish_at: toDateTimeLocal(Date.now() - DAY) }],
    ['schedule', 'publish_at', {}],
    ['request-changes', 'note', { note: '   ' }],
    ['request-changes', 'note', { note: 'x'.repeat(2001) }],
  ])('answers 400 naming the field when %s gets a bad %s, and changes nothing', async (action, field, body) => {
    const item = await makeItem(t.platform, tenant, { status: action === 'schedule' ? 'approved' : 'in_review' });
    const before = await itemSnapshot(t.platform, tenant, item.id);
    const res = await postForm(owner, `/t/studio/items/${item.id}/${action}`, body as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.text).toContain(`id="${field}-error"`);
    expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
  });

  it('schedules with the time given, and leaves a hint for the scheduler in the control plane', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'approved' });
    const at = toDateTimeLocal(Date.now() + 2 * DAY);
    expect((await postForm(owner, `/t/studio/items/${item.id}/schedule`, { publish_at: at })).status).toBe(303);
    const snap = await itemSnapshot(t.platform, tenant, item.id);
    expect(snap.item).toMatchObject({ status: 'scheduled', scheduled_at: Date.parse(`${at}:00Z`) });
    const hint = t.platform.db.connection().prepare('select next_due_at from tenant_schedule where tenant_id = ?').get(tenant.id);
    expect(hint).toEqual({ next_due_at: Date.parse(`${at}:00Z`) });
  });

  it('records comments on the item and in its history; a reviewer may comment, the form refuses empty text', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'in_review' });
    expect((await postForm(approver, `/t/studio/items/${item.id}/comments`, { comment: 'Looks good overall.' })).status).toBe(303);
    const bad = await postForm(approver, `/t/studio/items/${item.id}/comments`, { comment: '  ' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="comment-error"');
    const snap = await itemSnapshot(t.platform, tenant, item.id);
    expect(snap.comments).toEqual([expect.objectContaining({ body: 'Looks good overall.', author_name: 'Abe Approver' })]);
    expect(snap.history).toEqual([expect.objectContaining({ action: 'comment', note: 'Looks good overall.', actor_name: 'Abe Approver' })]);
    expect((await owner.get(`/t/studio/items/${item.id}`)).text).toContain('Looks good overall.');
  });

  it('refuses a comment that shows nothing (zero-width or filler characters, a NUL), on the page and in the API', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'in_review' });
    for (const comment of ['\u200b\u200b', '\u200d', '\u3164', '\u0000']) {
      const res = await postForm(approver, `/t/studio/items/${item.id}/comments`, { comment });
      expect(res.status).toBe(400);
      expect(res.text).toContain('id="comment-error"');
    }
    const api = await request(app)
      .post(`/api/v1/t/studio/items/${item.id}/comments`)
      .set(bearer(personalToken(t.platform, ownerUser)))
      .send({ body: '\u200b' });
    expect(api.status).toBe(400);
    expect((await itemSnapshot(t.platform, tenant, item.id)).comments).toEqual([]);
  });

  it("takes a comment sent twice at once (a double click) as one, and still adds another text or another person's", async () => {
    const item = await makeItem(t.platform, tenant, { status: 'in_review' });
    const twice = await Promise.all([1, 2].map(() => postForm(approver, `/t/studio/items/${item.id}/comments`, { comment: 'Ship it.' })));
    expect(twice.map((r) => r.status)).toEqual([303, 303]);
    await postForm(approver, `/t/studio/items/${item.id}/comments`, { comment: 'One more thing.' });
    await postForm(owner, `/t/studio/items/${item.id}/comments`, { comment: 'Ship it.' });
    const snap = await itemSnapshot(t.platform, tenant, item.id);
    expect((snap.comments as Array<{ body: string; author_name: string }>).map((c) => [c.author_name, c.body])).toEqual([
      ['Abe Approver', 'Ship it.'],
      ['Abe Approver', 'One more thing.'],
      ['Olive Owner', 'Ship it.'],
    ]);
    expect(snap.history).toHaveLength(3);
  });

  it("cuts a long comment's history note between characters, never inside one", async () => {
    const item = await makeItem(t.platform, tenant, { status: 'in_review' });
    const comment = `${'a'.repeat(498)}\u{1F600}${'b'.repeat(10)}`;
    expect((await postForm(approver, `/t/studio/items/${item.id}/comments`, { comment })).status).toBe(303);
    const [entry] = (await itemSnapshot(t.platform, tenant, item.id)).history as Array<{ note: string }>;
    expect(entry.note).toBe(`${'a'.repeat(498)}\u{1F600}…`);
    expect(entry.note).not.toContain('\ufffd');
  });

  it('deletes drafts and archived items only: anything in the workflow is archived first, a published item stays (409)', async () => {
    const draft = await makeItem(t.platform, tenant);
    const archived = await makeItem(t.platform, tenant, { status: 'archived' });
    const review = await makeItem(t.platform, tenant, { status: 'in_review' });
    const published = await makeItem(t.platform, tenant, { status: 'published' });
    expect((await postForm(owner, `/t/studio/items/${draft.id}/delete`, { confirmed: 'yes' })).status).toBe(303);
    expect((await postForm(owner, `/t/studio/items/${archived.id}/delete`, { confirmed: 'yes' })).status).toBe(303);
    const inReview = await postForm(owner, `/t/studio/items/${review.id}/delete`, { confirmed: 'yes' });
    expect(inReview.status).toBe(409);
    expect(inReview.text).toContain('Only drafts and archived items can be deleted; archive this item first.');
    const done = await postForm(owner, `/t/studio/items/${published.id}/delete`, { confirmed: 'yes' });
    expect(done.status).toBe(409);
    expect(done.text).toContain('A published item cannot be deleted');
    expect(((await tenantContent(t.platform, tenant)).items as Array<{ id: number }>).map((i) => i.id)).toEqual([review.id, published.id]);
  });

  it('deletes an archived item with its comments, history, attachments and their files, and records who did', async () => {
    const item = await makeItem(t.platform, tenant);
    await postForm(owner, `/t/studio/items/${item.id}/comments`, { comment: 'Old news.' });
    expect((await uploadFile(owner, `/t/studio/items/${item.id}/attachments`, 'file', FIXTURES.pdf, 'brief.pdf', 'application/pdf')).status).toBe(303);
    expect((await postForm(owner, `/t/studio/items/${item.id}/archive`, {})).status).toBe(303);
    const filesOnDisk = () => fs.readdirSync(tenantPaths(t.dataDir, tenant.id).files).filter((f) => STORED_FILE_NAME.test(f));
    expect(filesOnDisk()).toHaveLength(1);
    const page = await owner.get(`/t/studio/items/${item.id}`);
    expect(page.text).toContain(`action="/t/studio/items/${item.id}/delete"`);

    const res = await postForm(owner, `/t/studio/items/${item.id}/delete`, { confirmed: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/t/studio/items');
    expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual({ item: undefined, tags: [], history: [], comments: [], approvals: [] });
    expect(await inTenant(t.platform, tenant, (db) => new AttachmentRepository(db).totals().count)).toBe(0);
    expect(filesOnDisk()).toEqual([]);
    expect(auditOf(t.platform, 'item.delete')).toEqual([
      expect.objectContaining({ actor_user_id: ownerUser.id, target_id: String(item.id), before: JSON.stringify({ title: item.title, status: 'archived' }) }),
    ]);
  });

  it('answers a delete as done, on the page and the API, when the files cannot be removed once the rows are gone (EACCES): the items go, the files are left for the sweep with a warning', async () => {
    const withFile = async () => {
      const item = await makeItem(t.platform, tenant);
      expect((await uploadFile(owner, `/t/studio/items/${item.id}/attachments`, 'file', FIXTURES.pdf, 'brief.pdf', 'application/pdf')).status).toBe(303);
      return item;
    };
    const viaPage = await withFile();
    const viaApi = await withFile();
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    jest.spyOn(TenantFileStore.prototype, 'remove').mockRejectedValue(denied);
    const warn = jest.spyOn(t.platform.logger, 'warn');

    const page = await postForm(owner, `/t/studio/items/${viaPage.id}/delete`, { confirmed: 'yes' });
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/t/studio/items');
    const api = await request(app)
      .post(`/api/v1/t/studio/items/${viaApi.id}/delete`)
      .set(bearer(personalToken(t.platform, ownerUser)))
      .send({});
    expect(api.status).toBe(200);
    expect(api.body).toEqual({ data: { id: viaApi.id, title: viaApi.title, status: 'draft', deleted: true } });

    expect((await tenantContent(t.platform, tenant)).items).toEqual([]);
    expect(await inTenant(t.platform, tenant, (db) => new AttachmentRepository(db).totals().count)).toBe(0);
    expect(auditOf(t.platform, 'item.delete').map((a) => a.target_id)).toEqual([String(viaPage.id), String(viaApi.id)]);
    expect(fs.readdirSync(tenantPaths(t.dataDir, tenant.id).files).filter((f) => STORED_FILE_NAME.test(f))).toHaveLength(2);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledWith(
      { err: denied, tenantId: tenant.id, storedName: expect.stringMatching(STORED_FILE_NAME) },
      expect.stringContaining('orphan sweep'),
    );
  });

  it('refuses a member whose role cannot delete items (403) on the page and the API, and shows them no delete button', async () => {
    const viewerUser = await makeUser(t.platform);
    await addMember(t.platform, viewerUser, tenant, 'viewer');
    const viewer = await signIn(app, viewerUser.email);
    const item = await makeItem(t.platform, tenant, { status: 'archived' });
    const before = await itemSnapshot(t.platform, tenant, item.id);
    expect((await viewer.get(`/t/studio/items/${item.id}`)).text).not.toContain('/delete"');
    expect((await postForm(viewer, `/t/studio/items/${item.id}/delete`, { confirmed: 'yes' })).status).toBe(403);
    const api = await request(app)
      .post(`/api/v1/t/studio/items/${item.id}/delete`)
      .set(bearer(personalToken(t.platform, viewerUser)))
      .send({});
    expect(api.status).toBe(403);
    expect(await itemSnapshot(t.platform, tenant, item.id)).toEqual(before);
  });

  it('deletes an archived item once when the same delete arrives twice at once, from the page or the API: both are answered as done, never a 404 or a 500', async () => {
    const viaPage = await makeItem(t.platform, tenant, { status: 'archived' });
    const pageAnswers = await Promise.all([1, 2].map(() => postForm(owner, `/t/studio/items/${viaPage.id}/delete`, { confirmed: 'yes' })));
    expect(pageAnswers.map((r) => [r.status, r.headers.location])).toEqual([
      [303, '/t/studio/items'],
      [303, '/t/studio/items'],
    ]);

    const viaApi = await makeItem(t.platform, tenant, { status: 'archived' });
    const token = personalToken(t.platform, ownerUser);
    const apiAnswers = await Promise.all([1, 2].map(() => request(app).post(`/api/v1/t/studio/items/${viaApi.id}/delete`).set(bearer(token)).send({})));
    const deleted = { data: { id: viaApi.id, title: viaApi.title, status: 'archived', deleted: true } };
    expect(apiAnswers.map((r) => [r.status, r.body])).toEqual([
      [200, deleted],
      [200, deleted],
    ]);

    expect((await tenantContent(t.platform, tenant)).items).toEqual([]);
    expect(auditOf(t.platform, 'item.delete').map((a) => a.target_id)).toEqual([String(viaPage.id), String(viaApi.id)]);
  });

  it('answers the same member deleting an item again moments after as the first time (page: the same redirect and notice; API: 200), writing nothing', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'archived', title: 'Old spring launch' });
    expect((await postForm(owner, `/t/studio/items/${item.id}/delete`, { confirmed: 'yes' })).status).toBe(303);
    const again = await postForm(owner, `/t/studio/items/${item.id}/delete`, { confirmed: 'yes' });
    expect([again.status, again.headers.location]).toEqual([303, '/t/studio/items']);
    expect((await owner.get('/t/studio/items')).text).toContain('“Old spring launch” was deleted.');

    const viaApi = await makeItem(t.platform, tenant, { title: 'Draft to drop' });
    const token = personalToken(t.platform, ownerUser);
    const del = () => request(app).post(`/api/v1/t/studio/items/${viaApi.id}/delete`).set(bearer(token)).send({ revision: viaApi.revision });
    expect((await del()).status).toBe(200);
    const apiAgain = await del();
    expect([apiAgain.status, apiAgain.body]).toEqual([200, { data: { id: viaApi.id, title: 'Draft to drop', status: 'draft', deleted: true } }]);
    expect(auditOf(t.platform, 'item.delete').map((a) => a.target_id)).toEqual([String(item.id), String(viaApi.id)]);
  });

  it('still answers 404 to a deletion of an item deleted by another member, long ago, or in another workspace', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'archived' });
    expect((await postForm(owner, `/t/studio/items/${item.id}/delete`, { confirmed: 'yes' })).status).toBe(303);
    const admin = await makeUser(t.platform);
    await addMember(t.platform, admin, tenant, 'admin');
    expect((await postForm(await signIn(app, admin.email), `/t/studio/items/${item.id}/delete`, { confirmed: 'yes' })).status).toBe(404);

    // The owner is a member of another workspace, where no item has that id.
    const other = await makeTenant(t.platform, 'other');
    await addMember(t.platform, ownerUser, other, 'owner');
    expect((await postForm(owner, `/t/other/items/${item.id}/delete`, { confirmed: 'yes' })).status).toBe(404);
    const token = personalToken(t.platform, ownerUser);
    expect((await request(app).post(`/api/v1/t/other/items/${item.id}/delete`).set(bearer(token)).send({})).status).toBe(404);

    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'item.delete'", [DOUBLE_SUBMIT_MS + 1000]);
    expect((await postForm(owner, `/t/studio/items/${item.id}/delete`, { confirmed: 'yes' })).status).toBe(404);
    expect(auditOf(t.platform, 'item.delete')).toHaveLength(1);
  });

  it('deletes through the API as from the page: drafts and archived items, never a published one (409)', async () => {
    const token = personalToken(t.platform, ownerUser);
    const del = (id: number) => request(app).post(`/api/v1/t/studio/items/${id}/delete`).set(bearer(token)).send({});
    const draft = await makeItem(t.platform, tenant);
    const published = await makeItem(t.platform, tenant, { status: 'published' });
    expect((await del(draft.id)).status).toBe(200);
    const refused = await del(published.id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'conflict', detail: expect.stringContaining('A published item cannot be deleted') });
    expect((await del(999)).status).toBe(404);
    expect(((await tenantContent(t.platform, tenant)).items as Array<{ id: number }>).map((i) => i.id)).toEqual([published.id]);
  });

  it('keeps an item submitted by another process after the delete read it as a draft (409), and answers 404 for one deleted meanwhile', async () => {
    const item = await makeItem(t.platform, tenant, { status: 'in_review' });
    // What this request read a moment before another process submitted the draft.
    const find = jest.spyOn(ItemRepository.prototype, 'find').mockImplementationOnce(function (this: ItemRepository, id: number) {
      find.mockRestore();
      return { ...this.find(id)!, status: 'draft' };
    });
    expect((await postForm(owner, `/t/studio/items/${item.id}/delete`, { confirmed: 'yes' })).status).toBe(409);
    expect(((await tenantContent(t.platform, tenant)).items as Array<{ id: number }>).map((i) => i.id)).toEqual([item.id]);

    const gone = await makeItem(t.platform, tenant);
    const stale = jest.spyOn(ItemRepository.prototype, 'find').mockImplementationOnce(function (this: ItemRepository, id: number) {
      const row = this.find(id)!;
      this.deleteIfIn(id, ['draft']);
      stale.mockRestore();
      return row;
    });
    expect((await postForm(owner, `/t/studio/items/${gone.id}/delete`, { confirmed: 'yes' })).status).toBe(404);
  });

  it('returns the item with its tags as JSON', async () => {
    const item = await makeItem(t.platform, tenant, { tags: ['a', 'b'] });
    const res = await owner.get(`/t/studio/api/items/${item.id}`);
    expect(res.body.item).toMatchObject({ id: item.id, title: item.title, tags: ['a', 'b'], status: 'draft' });
  });

  it('answers 404 to refused input on an item that is not in the tenant: the page it would show cannot be built', async () => {
    const before = await tenantContent(t.platform, tenant);
    for (const path of ['/t/studio/items/999/comments', '/t/studio/items/999', '/t/studio/items/999/submit']) {
      const res = await postForm(owner, path, { comment: '', title: '', note: 'x'.repeat(2001) });
      expect(res.status).toBe(404);
    }
    expect(await tenantContent(t.platform, tenant)).toEqual(before);
  });

  it('answers JSON errors on its JSON route, whatever the client accepts', async () => {
    const missing = await owner.get('/t/studio/api/items/999').set('Accept', 'text/html');
    expect(missing.status).toBe(404);
    expect(missing.type).toBe('application/json');
    expect(missing.body.error.code).toBe('not_found');
  });

  describe('bulk actions on the list', () => {
    it('submits the checked drafts for review, counting those whose status does not allow it, and audits each', async () => {
      const a = await makeItem(t.platform, tenant, { title: 'Draft A' });
      const b = await makeItem(t.platform, tenant, { title: 'Draft B' });
      const published = await makeItem(t.platform, tenant, { title: 'Already out', status: 'published' });
      const res = await postForm(
        owner,
        '/t/studio/items/bulk/submit',
        { ids: [String(a.id), String(b.id), String(published.id)] } as unknown as Record<string, string>,
        '/t/studio/items',
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/t/studio/items?bulk=submit&done=2&failed=1');
      for (const item of [a, b]) expect((await itemSnapshot(t.platform, tenant, item.id)).item?.status).toBe('in_review');
      expect((await itemSnapshot(t.platform, tenant, published.id)).item?.status).toBe('published');
      expect(t.platform.db.all("select target_id from audit_events where action = 'item.submit' order by target_id")).toHaveLength(2);
      expect((await owner.get(res.headers.location)).text).toContain('2 items submitted for review; 1 could not be');
    });

    it('archives the checked items for a publisher, and refuses archiving (403) to an approver', async () => {
      const item = await makeItem(t.platform, tenant, { status: 'approved' });
      const refused = await postForm(approver, '/t/studio/items/bulk/archive', { ids: String(item.id) }, '/t/studio/items');
      expect(refused.status).toBe(403);
      expect((await itemSnapshot(t.platform, tenant, item.id)).item?.status).toBe('approved');
      const done = await postForm(owner, '/t/studio/items/bulk/archive', { ids: String(item.id) }, '/t/studio/items');
      expect(done.status).toBe(303);
      expect((await itemSnapshot(t.platform, tenant, item.id)).item?.status).toBe('archived');
    });

    it("keeps the dashboard's counts by status as the items are, through bulk moves and deletions, and never counts another workspace's item", async () => {
      const other = await makeTenant(t.platform, 'other');
      const theirs = await makeItem(t.platform, other, { status: 'approved' });
      const drafts = [];
      for (let i = 0; i < 60; i++) drafts.push(await makeItem(t.platform, tenant, { title: `Draft ${i}` }));
      const approved = [];
      for (let i = 0; i < 39; i++) approved.push(await makeItem(t.platform, tenant, { status: 'approved' }));
      const ids = (items: Array<{ id: number }>) => ({ ids: items.map((x) => String(x.id)) }) as unknown as Record<string, string>;
      const counts = (of: TenantRecord) =>
        inTenant(t.platform, of, (db) => ({
          shown: new ItemRepository(db).countByStatus(),
          items: Object.fromEntries(
            db.all<{ status: string; n: number }>('select status, count(*) as n from items group by status').map((r) => [r.status, r.n]),
          ),
        }));
      const theirsBefore = await counts(other);

      // The other workspace's item carries the id of our first draft (then in review): ours is archived, theirs is untouched.
      await postForm(owner, '/t/studio/items/bulk/submit', ids(drafts.slice(0, 50)), '/t/studio/items');
      await postForm(owner, '/t/studio/items/bulk/archive', ids([...approved, theirs]), '/t/studio/items');
      for (const draft of drafts.slice(50, 55)) await postForm(owner, `/t/studio/items/${draft.id}/delete`, { confirmed: 'yes' });

      const ours = await counts(tenant);
      expect(theirs.id).toBe(drafts[0].id);
      expect(ours.shown).toEqual({ in_review: 49, draft: 5, archived: 40 });
      expect(ours.shown).toEqual(ours.items);
      expect(await counts(other)).toEqual(theirsBefore);
      expect((await owner.get('/t/studio')).text).toContain('94 items in all');
    });

    it('says that a bulk action takes at most 100 items when sent 101, changing nothing', async () => {
      const item = await makeItem(t.platform, tenant);
      const ids = Array.from({ length: 101 }, (_, i) => `ids=${i === 0 ? item.id : 10_000 + i}`).join('&');
      const _csrf = await csrfFrom(owner, '/t/studio/items');
      const res = await owner
        .post('/t/studio/items/bulk/submit')
        .type('form')
        .send(`${ids}&_csrf=${encodeURIComponent(_csrf)}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('may hold at most 100 items');
      expect((await itemSnapshot(t.platform, tenant, item.id)).item?.status).toBe('draft');
    });

    it('answers 400 for ids that are not numbers, and changes nothing', async () => {
      const item = await makeItem(t.platform, tenant);
      const res = await postForm(owner, '/t/studio/items/bulk/submit', { ids: '0x1' }, '/t/studio/items');
      expect(res.status).toBe(400);
      expect((await itemSnapshot(t.platform, tenant, item.id)).item?.status).toBe('draft');
    });

    it('offers the checkboxes and buttons only to roles that may use them', async () => {
      await makeItem(t.platform, tenant);
      const page = await owner.get('/t/studio/items');
      expect(page.text).toContain('name="ids"');
      expect(page.text).toContain('formaction="/t/studio/items/bulk/archive"');
      const approverPage = await approver.get('/t/studio/items');
      expect(approverPage.text).not.toContain('name="ids"');
    });

    it('comes back to the page of the list, with its filters, that the items were checked on', async () => {
      const items = [];
      for (let i = 0; i < ITEMS_PAGE_SIZE + 2; i++) items.push(await makeItem(t.platform, tenant, { title: `Episode ${i}`, channel: 'podcast' }));
      const second = '/t/studio/items?status=draft&channel=podcast&page=2';
      const [bulk] = postFormsOf((await owner.get(second)).text, /\/items\/bulk\//);
      expect(bulk.fields.return).toBe(second);
      const res = await owner
        .post('/t/studio/items/bulk/archive')
        .type('form')
        .send({ ...bulk.fields, ids: String(items[0].id) });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${second}&bulk=archive&done=1&failed=0`);
      const forged = await owner
        .post('/t/studio/items/bulk/submit')
        .type('form')
        .send({ ...bulk.fields, ids: String(items[1].id), return: '//evil.test/t/studio/items' });
      expect(forged.headers.location).toBe('/t/studio/items?bulk=submit&done=1&failed=0');
    });
  });

  describe('the list', () => {
    beforeEach(async () => {
      await makeItem(t.platform, tenant, { title: 'Blog about cats', channel: 'blog', tags: ['pets'], status: 'approved' });
      await makeItem(t.platform, tenant, { title: 'Newsletter May', body: 'All about dogs', channel: 'newsletter', tags: ['pets', 'monthly'] });
      await makeItem(t.platform, tenant, { title: '100% off_sale', channel: 'blog', tags: ['promo'] });
    });

    const titles = async (query: string) => {
      const res = await owner.get(`/t/studio/items${query}`);
      expect(res.status).toBe(200);
      return [...res.text.matchAll(/<td><a href="\/t\/studio\/items\/\d+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]);
    };

    it.each([
      ['status', '?status=approved', ['Blog about cats']],
      ['channel', '?channel=blog', ['100% off_sale', 'Blog about cats']],
      ['tag', '?tag=PETS', ['Newsletter May', 'Blog about cats']],
      ['text in the body', '?q=dogs', ['Newsletter May']],
      ['text with LIKE wildcards, taken literally', '?q=%25%20off_', ['100% off_sale']],
      ['several filters at once', '?channel=blog&tag=pets', ['Blog about cats']],
    ])('filters by %s', async (_label, query, expected) => {
      expect(await titles(query)).toEqual(expected);
    });

    it('searches titles and bodies case-insensitively in every script, on the page, over the API and in the export alike, never in another workspace', async () => {
      await makeItem(t.platform, tenant, { title: 'Été à Paris', body: 'Une ÉCOLE de plein air' });
      await makeItem(t.platform, tenant, { title: 'Öko Straße', body: 'x' });
      await makeItem(t.platform, tenant, { title: 'HAUPTSTRASSE 5', body: 'Die ﬁrma' });
      const other = await makeTenant(t.platform, 'rival');
      await makeItem(t.platform, other, { title: 'Été chez nous', body: 'école' });
      const token = personalToken(t.platform, ownerUser, { tenant });
      const apiTitles = async (q: string) => {
        const res = await request(app)
          .get(`/api/v1/t/studio/items?q=${encodeURIComponent(q)}`)
          .set(bearer(token));
        expect(res.status).toBe(200);
        return (res.body.data as Array<{ title: string }>).map((item) => item.title);
      };
      const exported = async (q: string) => {
        const res = await owner.get(`/t/studio/items.csv?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
        return (parse(res.text, { columns: true }) as Array<{ title: string }>).map((row) => row.title).reverse();
      };

      for (const [q, expected] of [
        ['ÉTÉ', ['Été à Paris']],
        ['été', ['Été à Paris']],
        ['école', ['Été à Paris']],
        // An accent typed apart from its letter (NFD) is the same letter.
        ['E\u0301COLE', ['Été à Paris']],
        ['ÖKO', ['Öko Straße']],
        // The fold is a full one: "ß" is "ss" (and the capital "ẞ"), the ligature "ﬁ" is "fi", whichever side has them.
        ['STRASSE', ['HAUPTSTRASSE 5', 'Öko Straße']],
        ['straße', ['HAUPTSTRASSE 5', 'Öko Straße']],
        ['STRAẞE', ['HAUPTSTRASSE 5', 'Öko Straße']],
        ['FIRMA', ['HAUPTSTRASSE 5']],
        // ASCII searches read as before: like folds ASCII letters.
        ['PARIS', ['Été à Paris']],
        ['DOGS', ['Newsletter May']],
      ] as const) {
        expect({ q, page: await titles(`?q=${encodeURIComponent(q)}`), api: await apiTitles(q), csv: await exported(q) }).toEqual({
          q,
          page: expected,
          api: expected,
          csv: expected,
        });
      }
      const rivalToken = await ownerToken(t.platform, other);
      const rival = await request(app)
        .get(`/api/v1/t/rival/items?q=${encodeURIComponent('ÉTÉ')}`)
        .set(bearer(rivalToken));
      expect(rival.body.data.map((item: { title: string }) => item.title)).toEqual(['Été chez nous']);
    });

    it('answers 400 naming the field for an unknown status', async () => {
      const res = await owner.get('/t/studio/items?status=lost');
      expect(res.status).toBe(400);
      expect(res.text).toContain('status');
    });

    it('pages 25 at a time, keeping the filters in the pager links', async () => {
      for (let i = 0; i < 27; i++) await makeItem(t.platform, tenant, { title: `Bulk ${i}`, channel: 'social' });
      const first = await owner.get('/t/studio/items?channel=social');
      expect(first.text).toContain('Page 1 of 2');
      expect(first.text).toContain('href="?channel=social&amp;page=2"');
      expect(await titles('?channel=social&page=2')).toEqual(['Bulk 1', 'Bulk 0']);
    });

    it('says "more than 10000" past ten thousand matches and pages on until the rows end', async () => {
      await inTenant(t.platform, tenant, (db) =>
        db.write(() => {
          for (let i = 0; i < 10_030; i++) db.run("insert into items (title, channel, created_at, updated_at) values (?, 'bulk', 1, 1)", [`Bulk ${i}`]);
        }),
      );
      const first = await owner.get('/t/studio/items?channel=bulk');
      const lastFull = await owner.get('/t/studio/items?channel=bulk&page=401');
      const last = await owner.get('/t/studio/items?channel=bulk&page=402');

      expect(first.text).toContain('More than 10000 items');
      expect(first.text).toMatch(/<span>Page 1<\/span>/);
      expect(first.text).toContain('href="?channel=bulk&amp;page=2"');
      expect(lastFull.text).toContain('href="?channel=bulk&amp;page=402"');
      expect(await titles('?channel=bulk&page=402')).toEqual(['Bulk 4', 'Bulk 3', 'Bulk 2', 'Bulk 1', 'Bulk 0']);
      expect(last.text).not.toContain('page=403');
      expect(last.text).toContain('href="?channel=bulk&amp;page=401"');
    });

    it('reads a page number only when written in digits, showing the first page for anything else', async () => {
      for (let i = 0; i < 27; i++) await makeItem(t.platform, tenant, { title: `Bulk ${i}`, channel: 'social' });
      for (const page of ['0x2', '2e0', '%202', '+2', '02']) {
        const res = await owner.get(`/t/studio/items?channel=social&page=${page}`);
        expect({ page, status: res.status, first: res.text.includes('Page 1 of 2') }).toEqual({ page, status: 200, first: true });
      }
    });
  });
});
