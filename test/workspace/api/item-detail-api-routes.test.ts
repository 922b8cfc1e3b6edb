import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { inTenant, makeItem, plantAttachments } from '../../support/content';
import { bearer, personalToken } from '../../support/api-tokens';
import type { ItemRow } from '../../../workspace/items/item-repository';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { TenantDatabase } from '../../../tenant-runtime/tenant-database';
import { ItemComments } from '../../../workspace/items/item-comments';
import { AuditLog } from '../../../control-plane/audit/audit-log';
import { FIXTURES } from '../files/file-fixtures';

describe("an item's comments and attachments over the REST API", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let tenant: TenantRecord;
  let token: string;
  let item: ItemRow;
  let actor: { id: string; name: string };

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '400' });
    app = createApp(t.platform).app;
    tenant = await makeTenant(t.platform, 'acme');
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, tenant, 'owner');
    token = personalToken(t.platform, owner);
    actor = { id: owner.id, name: owner.name };
    item = await makeItem(t.platform, tenant, { title: 'Much discussed' });
  });
  afterAll(() => t.cleanup());

  const get = (path: string) => request(app).get(`/api/v1/t/acme${path}`).set(bearer(token));
  const addComments = (from: number, to: number) =>
    inTenant(t.platform, tenant, (db) =>
      db.write(() => {
        for (let i = from; i <= to; i++) new ItemComments(db).add(item.id, actor, `Remark ${i}`);
      }),
    );

  /** Every page of a list, following next_cursor; the bodies of each page. */
  async function allPages(path: string): Promise<Array<Array<Record<string, unknown>>>> {
    const pages = [];
    let cursor: string | null = null;
    do {
      const res = await get(`${path}${cursor ? `${path.includes('?') ? '&' : '?'}cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(res.body.data);
      cursor = res.body.next_cursor;
    } while (cursor);
    return pages;
  }

  it('lists comments a page at a time, oldest first, at most 100 to a page', async () => {
    await addComments(1, 230);
    const pages = await allPages(`/items/${item.id}/comments`);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 30]);
    expect(pages.flat().map((c) => c.body)).toEqual(Array.from({ length: 230 }, (_, i) => `Remark ${i + 1}`));
    const small = await allPages(`/items/${item.id}/comments?limit=7`);
    expect(small[0]).toHaveLength(7);
    expect(small.flat()).toHaveLength(230);
    expect((await get(`/items/${item.id}/comments?limit=101`)).status).toBe(400);
    expect((await get(`/items/${item.id}/comments?cursor=nonsense`)).status).toBe(400);
  });

  it.each(['1e1', '0x10', '%205', '%2B5', '05', '0b11'])('refuses the limit %s, which only looks like a number, on every list', async (limit) => {
    for (const list of ['/items', `/items/${item.id}/comments`, `/items/${item.id}/attachments`]) {
      const res = await get(`${list}?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'limit', message: 'must be 1-100' })]);
    }
  });

  it('lists attachments a page at a time, oldest first, files added in the same millisecond included once each', async () => {
    await inTenant(t.platform, tenant, (db) => plantAttachments(db, item.id, 150, actor, (i) => 1_700_000_000_000 + Math.floor(i / 3)));
    const pages = await allPages(`/items/${item.id}/attachments`);
    expect(pages.map((p) => p.length)).toEqual([100, 50]);
    const names = pages.flat().map((a) => a.name as string);
    expect(new Set(names).size).toBe(150);
    expect((await get(`/items/${item.id}/attachments?cursor=${Buffer.from('i12').toString('base64url')}`)).status).toBe(400);
  });

  it("answers a new comment with it alone, reading none of the item's other comments", async () => {
    const lease = await t.platform.router.acquire(tenant.id);
    const db: TenantDatabase = lease.db;
    lease.release();
    const all = jest.spyOn(db, 'all');
    try {
      const res = await request(app).post(`/api/v1/t/acme/items/${item.id}/comments`).set(bearer(token)).send({ body: 'One more' });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ body: 'One more', author_id: actor.id });
      const rowsRead = all.mock.results.reduce((n, r) => n + (Array.isArray(r.value) ? r.value.length : 0), 0);
      expect(rowsRead).toBeLessThan(10);
    } finally {
      all.mockRestore();
    }
  });
});

describe('an attachment uploaded over the API whose answer was cut off by a failure', () => {
  it('is answered to the retry with that attachment, never a second one', async () => {
    const t = await createTestPlatform();
    try {
      const tenant = await makeTenant(t.platform, 'acme');
      const owner = await makeUser(t.platform);
      await addMember(t.platform, owner, tenant, 'owner');
      const token = personalToken(t.platform, owner);
      const item = await makeItem(t.platform, tenant);
      const { app } = createApp(t.platform);
      const record = jest.spyOn(AuditLog.prototype, 'record').mockImplementationOnce(() => {
        throw new Error('database is locked');
      });
      const upload = () =>
        request(app)
          .post(`/api/v1/t/acme/items/${item.id}/attachments`)
          .set(bearer(token))
          .set('Idempotency-Key', 'upload-once')
          .attach('file', FIXTURES.text, 'notes.txt');
      expect((await upload()).status).toBe(500);
      record.mockRestore();
      const again = await upload();
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const ids = await inTenant(t.platform, tenant, (db) => db.all<{ id: string }>('select id from attachments').map((r) => r.id));
      expect(ids).toHaveLength(1);
      expect(again.body.data).toMatchObject({ id: ids[0], name: 'notes.txt' });
    } finally {
      await t.cleanup();
    }
  });
});
