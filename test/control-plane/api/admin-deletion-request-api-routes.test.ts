import fs from 'node:fs';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn } from '../../support/http-agent';
import { auditOf, setRole } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { mailsSent } from '../../support/outbox';
import { forgetDeletionRequests } from '../../support/deletion-requests';
import { outboxDir } from '../../../core/mail/mailer';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** /api/v1/admin/deletion-requests and /api/v1/admin/tenants/:id/decline-deletion: the console's pending requests and decline. */
describe("the super-admin API's deletion requests", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let alice: UserRecord;
  let root: UserRecord;
  let rootToken: string;
  let aliceToken: string;

  const requestOf = (tenant: TenantRecord) => t.platform.db.get('select * from tenant_deletion_requests where tenant_id = ?', [tenant.id]);
  /** Alice asks, through the workspace API; the super admins' mail is out before it returns. */
  const ask = async (tenant: TenantRecord, reason = 'Closing down') => {
    await request(app).post(`/api/v1/t/${tenant.slug}/settings/deletion-request`).set(bearer(aliceToken)).send({ confirm: tenant.slug, reason });
    await t.platform.background.idle();
  };
  const list = (query = '', as = rootToken) => request(app).get(`/api/v1/admin/deletion-requests${query}`).set(bearer(as));
  const decline = (id: string, body: object, as = rootToken, key?: string) => {
    const req = request(app).post(`/api/v1/admin/tenants/${id}/decline-deletion`).set(bearer(as));
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const mails = () => mailsSent(t);

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    alpha = await makeTenant(t.platform, 'alpha', 'Alpha');
    bravo = await makeTenant(t.platform, 'bravo', 'Bravo');
    alice = await makeUser(t.platform, { email: 'alice@example.com', name: 'Alice' });
    root = await makeUser(t.platform, { email: 'root@example.com', name: 'Root', superAdmin: true });
    await setRole(t.platform, alice, alpha, 'owner');
    await setRole(t.platform, alice, bravo, 'owner');
    aliceToken = personalToken(t.platform, alice);
    rootToken = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
  });
  afterAll(() => t.cleanup());

  beforeEach(() => forgetDeletionRequests(t));

  it('lists the pending requests oldest first, with their tenant, who asked and why, and says when more are pending than the limit', async () => {
    expect((await list()).body).toEqual({ data: [], next_cursor: null, has_more: false });
    await ask(alpha, 'first');
    await ask(bravo, 'second');
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      {
        tenant: { id: alpha.id, slug: 'alpha', name: 'Alpha', status: 'active' },
        requested_by: alice.id,
        requester_name: 'Alice',
        requested_at: expect.any(String),
        reason: 'first',
      },
      expect.objectContaining({ tenant: expect.objectContaining({ slug: 'bravo' }), reason: 'second' }),
    ]);
    expect((await list('?limit=1')).body).toMatchObject({ data: [expect.objectContaining({ reason: 'first' })], has_more: true });
    for (const query of ['?limit=0', '?limit=101', '?page=2'])
      expect((await list(query)).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: query.slice(1).split('=')[0] })] });
  });

  it('pages by cursor, oldest first and requests of one instant by tenant id, with none repeated or skipped at a page boundary', async () => {
    const charlie = await makeTenant(t.platform, 'charlie', 'Charlie');
    await setRole(t.platform, alice, charlie, 'owner');
    for (const tenant of [alpha, bravo, charlie]) await ask(tenant);
    // Two asked at one instant: the tenant id orders them, and a page may end between them.
    const at = Date.now() - 60_000;
    t.platform.db.write(() => {
      t.platform.db.run('update tenant_deletion_requests set requested_at = ? where tenant_id in (?, ?)', [at, alpha.id, bravo.id]);
      t.platform.db.run('update tenant_deletion_requests set requested_at = ? where tenant_id = ?', [at + 1, charlie.id]);
    });
    const expected = [...[alpha, bravo].map((x) => x.id).sort(), charlie.id];
    const first = (await list('?limit=1')).body;
    expect(first).toMatchObject({ data: [{ tenant: { id: expected[0] } }], next_cursor: expect.any(String), has_more: true });
    const second = (await list(`?limit=1&cursor=${first.next_cursor}`)).body;
    expect(second).toMatchObject({ data: [{ tenant: { id: expected[1] } }], has_more: true });
    // A request ended between two pages moves no other across the boundary.
    t.platform.db.write(() => t.platform.db.run('delete from tenant_deletion_requests where tenant_id = ?', [expected[0]]));
    const last = (await list(`?limit=5&cursor=${second.next_cursor}`)).body;
    expect(last).toMatchObject({ data: [{ tenant: { id: expected[2] } }], next_cursor: null, has_more: false });
    expect((await list('?limit=2')).body.data.map((r: { tenant: { id: string } }) => r.tenant.id)).toEqual(expected.slice(1));
  });

  it('refuses a cursor no page gave with a 400 naming cursor', async () => {
    const made = (text: string) => Buffer.from(text).toString('base64url');
    for (const cursor of ['!!', 'x'.repeat(65), made('yesterday.alpha'), made(`12.${alpha.slug}`), made(`-1.${alpha.id}`)]) {
      const res = await list(`?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor', message: 'is not a cursor from a previous page' })]);
    }
  });

  it('declines with a note by slug or id: the request ends, recorded as from the console, the owner who asked mailed the note, the tenant untouched', async () => {
    await ask(alpha);
    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    const res = await decline('alpha', { note: 'Your contract runs to June' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: alpha.id, slug: 'alpha', status: 'active' });
    expect(requestOf(alpha)).toBeUndefined();
    const [record, ...more] = auditOf(t.platform, 'tenant.deletion.declined');
    expect(more).toEqual([]);
    expect(record).toMatchObject({ actor_user_id: root.id, tenant_id: alpha.id, target_type: 'tenant', target_id: alpha.id });
    expect(JSON.parse(record.after as string)).toEqual({ note: 'Your contract runs to June' });
    expect(JSON.parse(record.before as string)).toMatchObject({ requested_by: alice.id, reason: 'Closing down' });
    const sent = await mails();
    expect(sent.map((m) => m.to)).toEqual(['alice@example.com']);
    expect(sent[0].text).toContain('Your contract runs to June');
    await ask(alpha);
    expect((await decline(alpha.id, { note: 'Not yet' })).status).toBe(200);
    expect(t.platform.tenants.findById(alpha.id)?.status).toBe('active');
  });

  it('answers the same decline sent again as done: moments after by the same token, or with its Idempotency-Key; another note, another token or none pending is a 409', async () => {
    await ask(alpha);
    expect((await decline('alpha', { note: 'Kept' })).status).toBe(200);
    const again = await decline('alpha', { note: 'Kept' });
    expect({ status: again.status, data: again.body.data?.id }).toEqual({ status: 200, data: alpha.id });
    expect((await decline('alpha', { note: 'Another note' })).status).toBe(409);
    expect((await decline('alpha', { note: 'Kept' }, personalToken(t.platform, root, { scopes: ['admin.tenants'] }))).status).toBe(409);
    expect(auditOf(t.platform, 'tenant.deletion.declined')).toHaveLength(1);
    expect((await mails()).filter((m) => m.to === 'alice@example.com')).toHaveLength(1);

    await ask(bravo);
    const keyed = await decline('bravo', { note: 'Kept' }, rootToken, 'decline-1');
    const replay = await decline('bravo', { note: 'Kept' }, rootToken, 'decline-1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(keyed.body);
    expect(auditOf(t.platform, 'tenant.deletion.declined')).toHaveLength(2);
  });

  it('refuses a missing, blank, too long or two-line note and an unknown field with a 400 naming it, the request kept', async () => {
    await ask(alpha);
    const cases: Array<[object, string]> = [
      [{}, 'note'],
      [{ note: '   ' }, 'note'],
      [{ note: 'x'.repeat(501) }, 'note'],
      [{ note: 'one\ntwo' }, 'note'],
      [{ note: 'Kept', tenant_id: bravo.id }, 'tenant_id'],
    ];
    for (const [body, field] of cases) {
      const res = await decline('alpha', body);
      expect({ body, status: res.status, fields: (res.body.errors as Array<{ field: string }>).map((e) => e.field) }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
    expect(requestOf(alpha)).toBeDefined();
    expect(auditOf(t.platform, 'tenant.deletion.declined')).toEqual([]);
  });

  it("is a 404 for an unknown tenant, and for anyone but a super admin: an owner's token or session reaches neither list nor decline", async () => {
    await ask(alpha);
    expect((await decline('no-such-tenant', { note: 'Kept' })).status).toBe(404);
    expect((await list('', aliceToken)).status).toBe(404);
    expect((await decline('alpha', { note: 'Kept' }, aliceToken)).status).toBe(404);
    const session = await signIn(app, alice.email);
    expect((await session.get('/api/v1/admin/deletion-requests')).status).toBe(404);
    // A super admin's token without the scope is refused.
    expect((await list('', personalToken(t.platform, root, { scopes: ['admin.users'] }))).status).toBe(403);
    expect(requestOf(alpha)).toBeDefined();
    // The console's own decline still works as before.
    const admin = await signIn(app, root.email);
    expect((await postForm(admin, '/admin/tenants/alpha/decline-deletion', { note: 'Kept' }, '/admin/tenants/alpha')).status).toBe(303);
    expect(requestOf(alpha)).toBeUndefined();
  });
});
