import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { inTenant, makeItem, tenantContent } from '../../support/content';
import { bearer, personalToken } from '../../support/api-tokens';
import { IdempotencyStore, IDEMPOTENCY_TTL_MS } from '../../../core/http/idempotency-store';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('idempotent POSTs', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let token: string;
  let other: string;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme');
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    token = personalToken(t.platform, owner);
    other = personalToken(t.platform, owner);
  });
  afterAll(() => t.cleanup());

  const itemCount = () => inTenant(t.platform, acme, (db) => db.get<{ n: number }>('select count(*) as n from items')?.n);

  it('replays the first answer to a repeat with the same key and body, and creates one item', async () => {
    const before = await itemCount();
    const first = await request(app)
      .post('/api/v1/t/acme/items')
      .set(bearer(token))
      .set('Idempotency-Key', 'create-1')
      .send({ title: 'Once', tags: ['a'] });
    // The same body with its keys in another order is the same request.
    const again = await request(app)
      .post('/api/v1/t/acme/items')
      .set(bearer(token))
      .set('Idempotency-Key', 'create-1')
      .send({ tags: ['a'], title: 'Once' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await itemCount()).toBe((before ?? 0) + 1);
  });

  it("replays the first answer's Location header with its status and body", async () => {
    const first = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Idempotency-Key', 'located').send({ title: 'Located' });
    const again = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Idempotency-Key', 'located').send({ title: 'Located' });
    expect(first.headers.location).toBe(`/api/v1/t/acme/items/${first.body.data.id}`);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.status).toBe(201);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.body).toEqual(first.body);
  });

  it('replays an answer kept before its headers were (the bare body) with its status and body', async () => {
    const send = () => request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Idempotency-Key', 'kept-bare').send({ title: 'Bare' });
    const first = await send();
    await inTenant(t.platform, acme, (db) => db.run("update idempotency_keys set response = ? where idem_key = 'kept-bare'", [JSON.stringify(first.body)]));
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('refuses the key with another body (422), changing nothing', async () => {
    await request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Idempotency-Key', 'create-2').send({ title: 'First' });
    const before = await tenantContent(t.platform, acme);
    const res = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Idempotency-Key', 'create-2').send({ title: 'Second' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'idempotency_key_reused', type: '/docs/api#problem-idempotency_key_reused' });
    expect(await tenantContent(t.platform, acme)).toEqual(before);
  });

  it('keeps keys per token: another token may use the same key for its own request', async () => {
    const mine = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Idempotency-Key', 'shared').send({ title: 'Mine' });
    const theirs = await request(app).post('/api/v1/t/acme/items').set(bearer(other)).set('Idempotency-Key', 'shared').send({ title: 'Theirs' });
    expect(theirs.status).toBe(201);
    expect(theirs.body.data.id).not.toBe(mine.body.data.id);
  });

  it('creates one thing from concurrent duplicates', async () => {
    const before = await itemCount();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Idempotency-Key', 'race-1').send({ title: 'Raced' })),
    );
    expect(answers.every((a) => a.status === 201 || (a.status === 409 && a.body.code === 'idempotency_key_in_use'))).toBe(true);
    expect(new Set(answers.filter((a) => a.status === 201).map((a) => a.body.data.id)).size).toBe(1);
    expect(await itemCount()).toBe((before ?? 0) + 1);
  });

  it('creates one attachment from concurrent duplicate uploads (the in-flight key refuses the others)', async () => {
    const item = await makeItem(t.platform, acme);
    const upload = () =>
      request(app)
        .post(`/api/v1/t/acme/items/${item.id}/attachments`)
        .set(bearer(token))
        .set('Idempotency-Key', 'upload-1')
        .attach('file', PNG, { filename: 'pixel.png', contentType: 'image/png' });
    const answers = await Promise.all([upload(), upload(), upload(), upload()]);
    expect(answers.map((a) => a.status).sort()).toEqual(expect.arrayContaining([201]));
    expect(answers.every((a) => a.status === 201 || (a.status === 409 && a.body.code === 'idempotency_key_in_use'))).toBe(true);
    expect(await inTenant(t.platform, acme, (db) => db.all('select id from attachments where item_id = ?', [item.id]))).toHaveLength(1);
    const replay = await upload();
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('does not keep a key whose request was refused, so the corrected request may use it', async () => {
    const bad = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Idempotency-Key', 'fix-me').send({ title: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'title', message: 'is required' }]);
    const good = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Idempotency-Key', 'fix-me').send({ title: 'Fixed' });
    expect(good.status).toBe(201);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
  });

  it('keeps no answer for a refused delete (a stale revision): the same key with the current revision deletes once and is replayed; the stale body with that key is refused, never answered with the delete', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Keyed delete' });
    await request(app).patch(`/api/v1/t/acme/items/${item.id}`).set(bearer(token)).send({ title: 'Keyed delete, rewritten' });
    const remove = (body: object) =>
      request(app).post(`/api/v1/t/acme/items/${item.id}/delete`).set(bearer(token)).set('Idempotency-Key', 'delete-1').send(body);

    const stale = await remove({ revision: 1 });
    expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 409, code: 'revision_conflict' });
    const current = await remove({ revision: 2 });
    expect(current.status).toBe(200);
    expect(current.headers['idempotent-replayed']).toBeUndefined();
    expect(current.body.data).toMatchObject({ id: item.id, deleted: true });

    const again = await remove({ revision: 2 });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(current.body);
    for (const body of [{ revision: 1 }, {}]) {
      const other = await remove(body);
      expect({ body, status: other.status, code: other.body.code }).toEqual({ body, status: 422, code: 'idempotency_key_reused' });
    }
  });

  it('takes no body and an empty one as the same request under one key: a retry that adds {} is replayed, not refused', async () => {
    const item = await makeItem(t.platform, acme, { title: 'Bodiless retry' });
    const submit = () => request(app).post(`/api/v1/t/acme/items/${item.id}/submit`).set(bearer(token)).set('Idempotency-Key', 'submit-1');
    const first = await submit();
    expect(first.status).toBe(200);
    const again = await submit().send({});
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('refuses a malformed key with a 400 naming the header', async () => {
    const res = await request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Idempotency-Key', 'x'.repeat(300)).send({ title: 'Long key' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
  });

  it("keeps keys in the tenant's own file for 24 hours", async () => {
    await request(app).post('/api/v1/t/acme/items').set(bearer(token)).set('Idempotency-Key', 'kept').send({ title: 'Kept' });
    const row = await inTenant(t.platform, acme, (db) =>
      db.get<{ principal: string; created_at: number; expires_at: number; state: string }>("select * from idempotency_keys where idem_key = 'kept'"),
    );
    expect(row).toMatchObject({ state: 'done' });
    expect((row?.expires_at ?? 0) - (row?.created_at ?? 0)).toBe(IDEMPOTENCY_TTL_MS);
    // Past its time the key is free again, even for another request.
    await inTenant(t.platform, acme, (db) => {
      const later = new IdempotencyStore(db, () => (row?.expires_at ?? 0) + 1);
      expect(db.write(() => later.claim(row?.principal ?? '', 'kept', 'another request'))).toEqual({ kind: 'new' });
    });
  });
});
