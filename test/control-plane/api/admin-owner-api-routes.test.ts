import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { retriedAfterKill } from '../../support/server-process';
import { makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn } from '../../support/http-agent';
import { auditOf, roleKeyOf, setRole } from '../../support/team';
import { bearer, personalToken } from '../../support/api-tokens';
import { outboxMails } from '../../support/outbox';
import { outboxDir } from '../../../core/mail/mailer';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

/** POST /api/v1/admin/tenants/:id/owners: the console's Add owner, for super admins' scripts. */
describe("the super-admin API's Add owner", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let globex: TenantRecord;
  let root: UserRecord;
  let token: string;

  const add = (id: string, body: object, as = token, key?: string) => {
    const req = request(app).post(`/api/v1/admin/tenants/${id}/owners`).set(bearer(as));
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const pending = (tenant: TenantRecord) =>
    t.platform.db.all<{ id: string; email: string }>("select id, email from invitations where tenant_id = ? and state = 'pending'", [tenant.id]);
  const mailsTo = (email: string) => outboxMails(t.dataDir).filter((m) => m.to === email);

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    root = await makeUser(t.platform, { email: 'root@example.com', superAdmin: true });
    token = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    globex = await makeTenant(t.platform, 'globex', 'Globex');
  });
  afterEach(() => t.cleanup());

  it('makes an existing account an owner at once (200), recorded as from the console, and answers an owner already as done', async () => {
    const boss = await makeUser(t.platform, { email: 'boss@example.com' });
    await setRole(t.platform, boss, acme, 'editor');
    const res = await add('acme', { email: 'boss@example.com' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: expect.objectContaining({ id: acme.id, slug: 'acme' }), owner_added: 'boss@example.com', previous_role: 'Editor' });
    expect(roleKeyOf(t.platform, boss, acme)).toBe('owner');
    const [record, ...more] = auditOf(t.platform, 'membership.add').filter((r) => r.tenant_id === acme.id && r.actor_user_id === root.id);
    expect(more).toEqual([]);
    expect(record).toMatchObject({ target_type: 'user', target_id: boss.id });
    expect(JSON.parse(record.after as string)).toEqual({ role: 'owner', by: 'super admin' });

    const again = await add(acme.id, { email: 'boss@example.com' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ owner_added: 'boss@example.com', already_owner: true });
    expect(auditOf(t.platform, 'membership.add').filter((r) => r.actor_user_id === root.id)).toHaveLength(1);
    expect(roleKeyOf(t.platform, boss, globex)).toBeUndefined();
  });

  it('invites a new address (201) with the link this once, mailed, recorded with via add-owner as from the console; the link is the one mailed', async () => {
    const res = await add('acme', { email: 'new@example.com' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      data: expect.objectContaining({ id: acme.id }),
      invitation: {
        id: expect.stringMatching(/^i[0-9a-f]{24}$/),
        email: 'new@example.com',
        url: expect.stringContaining('/invitations/'),
        expires_at: expect.any(String),
        mailed: true,
      },
    });
    expect(pending(acme)).toEqual([{ id: res.body.invitation.id, email: 'new@example.com' }]);
    const [mail, ...others] = mailsTo('new@example.com');
    expect(others).toEqual([]);
    expect(mail.text).toContain(res.body.invitation.url);
    const [record] = auditOf(t.platform, 'invitation.create').filter((r) => r.target_id === res.body.invitation.id);
    expect(record).toMatchObject({ actor_user_id: root.id, tenant_id: acme.id });
    expect(JSON.parse(record.after as string)).toMatchObject({ email: 'new@example.com', via: 'add-owner' });
  });

  it('answers the same address sent again by the same token moments after with the first invitation, without its link, sending nothing', async () => {
    const first = await add('acme', { email: 'new@example.com' });
    const again = await add('acme', { email: 'new@example.com' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({
      data: expect.objectContaining({ id: acme.id }),
      invitation: { id: first.body.invitation.id, email: 'new@example.com', expires_at: first.body.invitation.expires_at },
      invitation_repeated: true,
    });
    expect(pending(acme)).toEqual([{ id: first.body.invitation.id, email: 'new@example.com' }]);
    expect(mailsTo('new@example.com')).toHaveLength(1);
  });

  it('sends a new link (the old one stops) for the same address from another token, or long after', async () => {
    const first = await add('acme', { email: 'new@example.com' });
    const other = await add('acme', { email: 'new@example.com' }, personalToken(t.platform, root, { scopes: ['admin.tenants'] }));
    expect(other.body.invitation.url).toEqual(expect.any(String));
    expect(pending(acme)).toEqual([{ id: other.body.invitation.id, email: 'new@example.com' }]);
    t.platform.db.run('update invitations set created_at = created_at - 60000');
    const later = await add('acme', { email: 'new@example.com' });
    expect(later.body.invitation.id).not.toBe(first.body.invitation.id);
    expect(pending(acme)).toEqual([{ id: later.body.invitation.id, email: 'new@example.com' }]);
    expect(mailsTo('new@example.com')).toHaveLength(3);
  });

  it('replays the answer, link included, to the same request sent with its Idempotency-Key; another body under the key is 422', async () => {
    const first = await add('acme', { email: 'new@example.com' }, token, 'owner-1');
    const replay = await add('acme', { email: 'new@example.com' }, token, 'owner-1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect({ status: replay.status, body: replay.body }).toEqual({ status: 201, body: first.body });
    expect((await add('acme', { email: 'other@example.com' }, token, 'owner-1')).status).toBe(422);
    expect(pending(acme)).toHaveLength(1);
    expect(mailsTo('new@example.com')).toHaveLength(1);
  });

  it('is refused for a bad address, an unknown field, a disabled account (400 naming the field), an archived tenant (409), changing nothing', async () => {
    const cases: Array<[object, string]> = [
      [{}, 'email'],
      [{ email: 'not an address' }, 'email'],
      [{ email: 42 }, 'email'],
      [{ email: 'new@example.com', role: 'admin' }, 'role'],
    ];
    for (const [body, field] of cases) {
      const res = await add('acme', body);
      expect({ body, status: res.status, fields: (res.body.errors as Array<{ field: string }>).map((e) => e.field) }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
    const gone = await makeUser(t.platform, { email: 'gone@example.com' });
    t.platform.db.run("update users set status = 'disabled' where id = ?", [gone.id]);
    expect((await add('acme', { email: gone.email })).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'email' })] });
    const admin = await signIn(app, root.email);
    expect((await postForm(admin, '/admin/tenants/globex/archive', { confirm: 'globex' }, '/admin/tenants/globex')).status).toBe(303);
    expect((await add(globex.id, { email: 'new@example.com' })).status).toBe(409);
    expect([...pending(acme), ...pending(globex)]).toEqual([]);
    expect(auditOf(t.platform, 'membership.add').filter((r) => r.actor_user_id === root.id)).toEqual([]);
  });

  it("is a 404 for an unknown tenant, and for anyone but a super admin: a tenant's owner cannot add an owner to their own tenant or another", async () => {
    expect((await add('no-such-tenant', { email: 'new@example.com' })).status).toBe(404);
    const owner = await makeUser(t.platform);
    await setRole(t.platform, owner, acme, 'owner');
    const ownerToken = personalToken(t.platform, owner);
    const friend = await makeUser(t.platform, { email: 'friend@example.com' });
    for (const target of [acme.id, acme.slug, globex.id, globex.slug]) expect((await add(target, { email: friend.email }, ownerToken)).status).toBe(404);
    expect((await add('acme', { email: friend.email }, personalToken(t.platform, root, { scopes: ['admin.users'] }))).status).toBe(403);
    expect([roleKeyOf(t.platform, friend, acme), roleKeyOf(t.platform, friend, globex)]).toEqual([undefined, undefined]);
    expect(fs.existsSync(outboxDir(t.dataDir)) ? mailsTo('friend@example.com') : []).toEqual([]);
  });
});

describe("the super-admin API's Add owner, the server killed between writing the invitation and mailing it", () => {
  it('is answered to the retry with its key after a restart from the answer stored with the invitation: one invitation, never a second link', async () => {
    const t = await createTestPlatform();
    await makeTenant(t.platform, 'killed', 'Killed');
    const root = await makeUser(t.platform, { superAdmin: true });
    const token = personalToken(t.platform, root, { scopes: ['admin.tenants'] });
    await t.platform.close();
    try {
      const post = (base: string) =>
        fetch(`${base}/api/v1/admin/tenants/killed/owners`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'owner-cut-off' },
          body: JSON.stringify({ email: 'cut@elsewhere.test' }),
        });
      const again = await retriedAfterKill(t.dataDir, 'owner-invitation:written', post);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const answer = again.body as { invitation: { id: string; email: string; url: string; mailed: boolean } };
      const db = new BetterSqlite3(path.join(t.dataDir, 'platform.sqlite'), { readonly: true });
      try {
        const rows = db.prepare("select id, state from invitations where email = 'cut@elsewhere.test'").all() as Array<{ id: string; state: string }>;
        expect(rows).toEqual([{ id: answer.invitation.id, state: 'pending' }]);
        expect(answer.invitation).toMatchObject({ email: 'cut@elsewhere.test', url: expect.stringContaining('/invitations/'), mailed: false });
      } finally {
        db.close();
      }
      // Killed before its mail: none was sent, and the replay sends none.
      expect(outboxMails(t.dataDir).filter((m) => m.to === 'cut@elsewhere.test')).toEqual([]);
    } finally {
      fs.rmSync(t.dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
