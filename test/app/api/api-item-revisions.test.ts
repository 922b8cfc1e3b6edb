import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { itemSnapshot, makeItem, tenantContent } from '../../support/content';
import { bearer, personalToken } from '../../support/api-tokens';
import { withTenantFile } from '../../support/tenant-file';
import { ItemRepository } from '../../../workspace/items/item-repository';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/** A PATCH or a workflow step over the REST API that names the revision it read. */
describe('the REST API and the revision a client read', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let ownerToken: string;
  let approverToken: string;

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '400' });
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    const owner = await makeUser(t.platform);
    const approver = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    await addMember(t.platform, approver, acme, 'approver');
    ownerToken = personalToken(t.platform, owner);
    approverToken = personalToken(t.platform, approver);
  });
  afterAll(() => t.cleanup());

  const patch = (path: string, body: object, token = ownerToken) => request(app).patch(`/api/v1/t/acme${path}`).set(bearer(token)).send(body);
  const post = (path: string, body: object, token = ownerToken) => request(app).post(`/api/v1/t/acme${path}`).set(bearer(token)).send(body);

  it('applies a PATCH sent with the current revision, refuses one sent with a stale revision with 409 revision_conflict changing nothing, and applies one naming none as before', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Spring launch', body: 'Draft copy' });
    const first = await patch(`/items/${item.id}`, { title: 'Spring launch 2031', revision: 1 });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ title: 'Spring launch 2031', revision: 2 });
    const before = await itemSnapshot(t.platform, acme, item.id);

    const stale = await patch(`/items/${item.id}`, { body: 'Written over revision 1', revision: 1 });

    expect(stale.status).toBe(409);
    expect(stale.type).toBe('application/problem+json');
    expect(stale.body).toMatchObject({
      type: '/docs/api#problem-revision_conflict',
      status: 409,
      code: 'revision_conflict',
      current_revision: 2,
      detail: 'This item changed since you opened it (now revision 2): check the changes and try again.',
    });
    expect(await itemSnapshot(t.platform, acme, item.id)).toEqual(before);

    const unchecked = await patch(`/items/${item.id}`, { body: 'Sent without a revision' });
    expect(unchecked.status).toBe(200);
    expect(unchecked.body.data).toMatchObject({ body: 'Sent without a revision', revision: 3 });
  });

  it('keeps a field another process changed between the PATCH reading the item and writing it: the PATCH changes only the fields it sent', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Autumn launch', body: 'First copy' });
    const find = jest.spyOn(ItemRepository.prototype, 'find');
    find.mockImplementationOnce(function (this: ItemRepository, id: number) {
      find.mockRestore();
      const read = this.find(id);
      withTenantFile(t, 'acme', (db) => db.prepare('update items set body = ? where id = ?').run('Copy written by another process', id));
      return read;
    });
    try {
      const res = await patch(`/items/${item.id}`, { title: 'Autumn launch 2031' });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ title: 'Autumn launch 2031', body: 'Copy written by another process' });
    } finally {
      find.mockRestore();
    }
  });

  it('deletes only the revision a client read when it sends one: a stale revision is 409 revision_conflict and nothing is deleted; none deletes as before', async () => {
    const item = await makeItem(t.platform, acme, { title: 'To delete' });
    expect((await patch(`/items/${item.id}`, { title: 'To delete, rewritten' })).body.data.revision).toBe(2);
    const before = await itemSnapshot(t.platform, acme, item.id);

    const stale = await post(`/items/${item.id}/delete`, { revision: 1 });

    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'revision_conflict', current_revision: 2 });
    expect(await itemSnapshot(t.platform, acme, item.id)).toEqual(before);
    const current = await post(`/items/${item.id}/delete`, { revision: 2 });
    expect(current.status).toBe(200);
    expect(current.body.data).toMatchObject({ id: item.id, deleted: true });
    const other = await makeItem(t.platform, acme, { title: 'Deleted without a body' });
    expect((await request(app).post(`/api/v1/t/acme/items/${other.id}/delete`).set(bearer(ownerToken))).status).toBe(200);
  });

  it('refuses a delete sent with the revision read when another process changed the item between the delete reading it and deleting it', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Raced delete' });
    const find = jest.spyOn(ItemRepository.prototype, 'find');
    find.mockImplementationOnce(function (this: ItemRepository, id: number) {
      find.mockRestore();
      const read = this.find(id);
      withTenantFile(t, 'acme', (db) => db.prepare('update items set title = ?, revision = revision + 1 where id = ?').run('Rewritten meanwhile', id));
      return read;
    });
    try {
      const res = await post(`/items/${item.id}/delete`, { revision: 1 });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'revision_conflict', current_revision: 2 });
    } finally {
      find.mockRestore();
    }
    expect((await itemSnapshot(t.platform, acme, item.id)).item).toMatchObject({ title: 'Rewritten meanwhile', revision: 2 });
  });

  it('refuses an approval sent for a revision that changed since (409 revision_conflict): no approval, still in review; the current revision approves', async () => {
    const item = await makeItem(t.platform, acme, { title: 'For review', status: 'in_review' });
    expect((await patch(`/items/${item.id}`, { title: 'For review, rewritten' })).body.data.revision).toBe(2);
    const before = await itemSnapshot(t.platform, acme, item.id);

    const stale = await post(`/items/${item.id}/approve`, { revision: 1 }, approverToken);

    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'revision_conflict', current_revision: 2 });
    const after = await itemSnapshot(t.platform, acme, item.id);
    expect(after).toEqual(before);
    expect(after.item?.status).toBe('in_review');
    expect(after.approvals).toEqual([]);

    const current = await post(`/items/${item.id}/approve`, { revision: 2 }, approverToken);
    expect(current.status).toBe(200);
    expect(current.body.transition).toEqual({ from: 'in_review', to: 'approved', approvals: { count: 1, required: 1 } });
  });

  it('stores line ends as LF whatever the client sent: the same text sent back with CRLF is no new revision', async () => {
    const created = await post('/items', { title: 'Lines', body: 'One\r\nTwo\rThree\n' });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ body: 'One\nTwo\nThree\n', revision: 1 });
    const id = created.body.data.id as number;
    const before = await itemSnapshot(t.platform, acme, id);
    const again = await patch(`/items/${id}`, { body: 'One\r\nTwo\r\nThree\r\n', revision: 1 });
    expect(again.status).toBe(200);
    expect(await itemSnapshot(t.platform, acme, id)).toEqual(before);
    expect((await post(`/items/${id}/comments`, { body: 'Looks\r\ngood' })).body.data.body).toBe('Looks\ngood');
    expect((await post(`/items/${id}/submit`, { revision: 1 })).status).toBe(200);
    expect((await post(`/items/${id}/request-changes`, { note: 'Shorter,\r\nplease', revision: 1 }, approverToken)).status).toBe(200);
    const content = await itemSnapshot(t.platform, acme, id);
    expect(content.comments.map((c) => (c as { body: string }).body)).toEqual(['Looks\ngood']);
    expect(content.history.map((h) => (h as { note: string | null }).note)).toContain('Shorter,\nplease');
  });

  it('leaves an item stored with CRLF line ends alone when a PATCH sends the same text with LF', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Older', body: 'From an\r\nolder form' });
    const before = await itemSnapshot(t.platform, acme, item.id);
    expect((await patch(`/items/${item.id}`, { body: 'From an\nolder form', revision: 1 })).status).toBe(200);
    expect(await itemSnapshot(t.platform, acme, item.id)).toEqual(before);
  });

  it('answers 400 naming the field for a revision that is not a number', async () => {
    const item = await makeItem(t.platform, acme);
    const res = await patch(`/items/${item.id}`, { title: 'x', revision: '1' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'revision', message: 'must be a revision number' }]);
  });

  it('answers a PATCH sent again on the revision it was first sent with as done (200), writing nothing more, while one that changes a field is still refused', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Autumn launch', body: 'Draft copy' });
    const change = { title: 'Autumn launch 2031', body: 'Final copy', revision: 1 };
    const first = await patch(`/items/${item.id}`, change);
    expect(first.status).toBe(200);
    const before = await itemSnapshot(t.platform, acme, item.id);

    const again = await patch(`/items/${item.id}`, change);

    expect({ status: again.status, ...again.body.data }).toEqual({ status: 200, ...first.body.data });
    expect(await itemSnapshot(t.platform, acme, item.id)).toEqual(before);
    const stale = await patch(`/items/${item.id}`, { ...change, body: 'Other copy' });
    expect(stale.body).toMatchObject({ code: 'revision_conflict', current_revision: 2 });
    expect(await itemSnapshot(t.platform, acme, item.id)).toEqual(before);
  });

  it('answers 404 to a token of another workspace naming a revision of an item there, and changes nothing', async () => {
    const bravo = await makeTenant(t.platform, 'bravo-revisions');
    const bob = await makeUser(t.platform);
    await addMember(t.platform, bob, bravo, 'owner');
    const bobToken = personalToken(t.platform, bob);
    const own = await makeItem(t.platform, acme, { status: 'in_review' });
    const before = await tenantContent(t.platform, acme);
    expect((await patch(`/items/${own.id}`, { title: 'Taken over', revision: 1 }, bobToken)).status).toBe(404);
    expect((await post(`/items/${own.id}/approve`, { revision: 1 }, bobToken)).status).toBe(404);
    expect(await tenantContent(t.platform, acme)).toEqual(before);
  });

  it('documents the revision field and the revision_conflict code in the OpenAPI document and on /docs/api', async () => {
    const document = (await request(app).get('/api/v1/openapi.json')).body;
    const properties = (method: string, path: string) => document.paths[path][method].requestBody.content['application/json'].schema.properties;
    expect(properties('patch', '/api/v1/t/{slug}/items/{id}').revision.description).toContain('409 revision_conflict');
    expect(properties('post', '/api/v1/t/{slug}/items/{id}/approve').revision.description).toContain('409 revision_conflict');
    const page = await request(app).get('/docs/api');
    expect(page.text).toContain('id="problem-revision_conflict"');
  });
});
