import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { postForm, signIn } from '../../support/http-agent';
import { auditOf } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { mailsSent } from '../../support/outbox';
import { deletionRequestCast, forgetDeletionRequests, type DeletionRequestCast } from '../../support/deletion-requests';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/** /api/v1/t/<slug>/settings/deletion-request: the settings page's request to delete the workspace, over the REST API. */
describe("the workspace API's deletion request", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let users: DeletionRequestCast['users'];
  const tokens = {} as Record<'alice' | 'adam' | 'bob' | 'aliceInAlpha' | 'aliceReader', string>;

  const path = (slug: string) => `/api/v1/t/${slug}/settings/deletion-request`;
  const requestOf = (tenant: TenantRecord) =>
    t.platform.db.get<{ requested_by: string; reason: string | null }>('select * from tenant_deletion_requests where tenant_id = ?', [tenant.id]);
  const read = (token: string, slug: string) => request(app).get(path(slug)).set(bearer(token));
  const ask = (token: string, slug: string, body: object, key?: string) => {
    const req = request(app).post(path(slug)).set(bearer(token));
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const withdraw = (token: string, slug: string, body?: object) =>
    request(app)
      .post(`${path(slug)}/withdraw`)
      .set(bearer(token))
      .send(body);
  const mails = () => mailsSent(t);

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    ({ alpha, bravo, users } = await deletionRequestCast(t.platform));
    tokens.alice = personalToken(t.platform, users.alice);
    tokens.aliceInAlpha = personalToken(t.platform, users.alice, { tenant: alpha });
    tokens.aliceReader = personalToken(t.platform, users.alice, { scopes: ['tenant.settings.view'] });
    tokens.adam = personalToken(t.platform, users.adam);
    tokens.bob = personalToken(t.platform, users.bob);
  });
  afterAll(() => t.cleanup());

  beforeEach(() => forgetDeletionRequests(t));

  it('is asked by an owner with the slug confirmed and a reason: 201, kept, audited as from the page and mailed to the super admins', async () => {
    expect((await read(tokens.alice, 'alpha')).body).toEqual({ data: null });
    const res = await ask(tokens.alice, 'alpha', { confirm: 'alpha', reason: 'We are closing the agency' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      data: { requested_by: users.alice.id, requester_name: 'Alice', requested_at: expect.any(String), reason: 'We are closing the agency' },
      repeated: false,
    });
    expect(requestOf(alpha)).toMatchObject({ requested_by: users.alice.id, reason: 'We are closing the agency' });
    const [record, ...more] = auditOf(t.platform, 'tenant.deletion.requested');
    expect(more).toEqual([]);
    expect(record).toMatchObject({ actor_user_id: users.alice.id, tenant_id: alpha.id, target_type: 'tenant', target_id: alpha.id });
    expect(JSON.parse(record.after as string)).toMatchObject({ requested_by: users.alice.id, reason: 'We are closing the agency' });
    expect((await mails()).map((m) => m.to)).toEqual(['root@example.com']);
    expect((await read(tokens.alice, 'alpha')).body.data).toEqual(res.body.data);
    expect(t.platform.tenants.findById(alpha.id)?.status).toBe('active');
  });

  it('asked again while one is pending keeps the first, answered 200 as done, with one record and one mail', async () => {
    const first = await ask(tokens.alice, 'alpha', { confirm: 'alpha', reason: 'first' });
    const again = await ask(tokens.alice, 'alpha', { confirm: 'alpha', reason: 'second' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ data: first.body.data, repeated: true });
    expect(requestOf(alpha)).toMatchObject({ reason: 'first' });
    expect(auditOf(t.platform, 'tenant.deletion.requested')).toHaveLength(1);
    expect(await mails()).toHaveLength(1);
  });

  it('sent again with its Idempotency-Key replays the first answer; another body under the key is 422', async () => {
    const first = await ask(tokens.alice, 'alpha', { confirm: 'alpha', reason: 'keyed' }, 'ask-1');
    const replay = await ask(tokens.alice, 'alpha', { confirm: 'alpha', reason: 'keyed' }, 'ask-1');
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect((await ask(tokens.alice, 'alpha', { confirm: 'alpha', reason: 'other' }, 'ask-1')).status).toBe(422);
    expect(auditOf(t.platform, 'tenant.deletion.requested')).toHaveLength(1);
  });

  it('refuses a wrong slug, a reason too long or of two lines, and an unknown field with a 400 naming the field, writing nothing', async () => {
    const cases: Array<[object, string]> = [
      [{ reason: 'x' }, 'confirm'],
      [{ confirm: 'alph' }, 'confirm'],
      [{ confirm: 'alpha', reason: 'x'.repeat(501) }, 'reason'],
      [{ confirm: 'alpha', reason: 'one\ntwo' }, 'reason'],
      [{ confirm: 'alpha', reason: 7 }, 'reason'],
      [{ confirm: 'alpha', tenant_id: alpha.id }, 'tenant_id'],
    ];
    for (const [body, field] of cases) {
      const res = await ask(tokens.alice, 'alpha', body);
      expect({ body, status: res.status, fields: (res.body.errors as Array<{ field: string }>).map((e) => e.field) }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
    expect((await withdraw(tokens.alice, 'alpha', { reason: 'x' })).status).toBe(400);
    expect(requestOf(alpha)).toBeUndefined();
    expect(auditOf(t.platform, 'tenant.deletion.requested')).toEqual([]);
    expect(await mails()).toEqual([]);
  });

  it('is withdrawn by the owner, recorded as from the page; withdrawn again it is answered as done (withdrawn: false)', async () => {
    await ask(tokens.alice, 'alpha', { confirm: 'alpha' });
    const res = await withdraw(tokens.alice, 'alpha');
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { data: { withdrawn: true } } });
    expect(requestOf(alpha)).toBeUndefined();
    expect((await withdraw(tokens.alice, 'alpha')).body).toEqual({ data: { withdrawn: false } });
    expect(auditOf(t.platform, 'tenant.deletion.withdrawn')).toMatchObject([{ actor_user_id: users.alice.id, tenant_id: alpha.id, target_id: alpha.id }]);
    expect((await read(tokens.alice, 'alpha')).body).toEqual({ data: null });
  });

  it('needs tenant.delete.request: an admin, and a token without the scope, get 403; a super admin who is not a member 404; nothing written', async () => {
    for (const token of [tokens.adam, tokens.aliceReader]) {
      expect((await read(token, 'alpha')).status).toBe(403);
      expect((await ask(token, 'alpha', { confirm: 'alpha' })).status).toBe(403);
      expect((await withdraw(token, 'alpha')).status).toBe(403);
    }
    const rootToken = personalToken(t.platform, users.root);
    expect((await ask(rootToken, 'alpha', { confirm: 'alpha' })).status).toBe(404);
    expect(requestOf(alpha)).toBeUndefined();
  });

  it('is withheld from a super admin impersonating an owner, as on the page', async () => {
    const admin = await signIn(app, users.root.email);
    const started = await postForm(admin, `/admin/users/${users.alice.id}/impersonate`, { reason: 'Ticket 12' }, `/admin/users/${users.alice.id}`);
    expect(started.status).toBe(303);
    expect((await admin.get(path('alpha'))).status).toBe(403);
    expect(requestOf(alpha)).toBeUndefined();
  });

  it('of another workspace cannot be read, asked for or withdrawn by slug, URL or body field: 404 (or 400 for the field) and nothing changes', async () => {
    await ask(tokens.bob, 'bravo', { confirm: 'bravo', reason: 'bravo closes' });
    const bobs = requestOf(bravo);
    for (const token of [tokens.alice, tokens.aliceInAlpha]) {
      expect((await read(token, 'bravo')).status).toBe(404);
      expect((await read(token, bravo.id)).status).toBe(404);
      expect((await ask(token, 'bravo', { confirm: 'bravo' })).status).toBe(404);
      expect((await withdraw(token, 'bravo')).status).toBe(404);
    }
    // Alpha's own routes naming bravo in the body or the query change nothing of bravo.
    expect((await ask(tokens.alice, 'alpha', { confirm: 'bravo' })).status).toBe(400);
    expect((await ask(tokens.alice, 'alpha', { confirm: 'alpha', tenant: 'bravo' })).status).toBe(400);
    expect((await withdraw(tokens.alice, 'alpha', { tenant_id: bravo.id })).status).toBe(400);
    expect(
      (
        await request(app)
          .post(`${path('alpha')}/withdraw?tenant=bravo`)
          .set(bearer(tokens.alice))
      ).status,
    ).toBe(400);
    expect((await withdraw(tokens.alice, 'alpha')).body).toEqual({ data: { withdrawn: false } });
    expect((await read(tokens.alice, 'alpha')).body).toEqual({ data: null });
    expect(requestOf(bravo)).toEqual(bobs);
    expect(auditOf(t.platform, 'tenant.deletion.withdrawn')).toEqual([]);
    expect(auditOf(t.platform, 'tenant.deletion.requested')).toHaveLength(1);
  });

  it('is documented: each operation with its permission, the POSTs taking an Idempotency-Key', async () => {
    const { paths } = (await request(app).get('/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-permission'?: string; parameters?: Array<{ name: string }> }>>;
    };
    const asked = paths['/api/v1/t/{slug}/settings/deletion-request'];
    const withdrawn = paths['/api/v1/t/{slug}/settings/deletion-request/withdraw'];
    for (const operation of [asked.get, asked.post, withdrawn.post]) expect(operation['x-permission']).toBe('tenant.delete.request');
    for (const operation of [asked.post, withdrawn.post]) expect(operation.parameters?.map((p) => p.name)).toContain('Idempotency-Key');
  });
});
