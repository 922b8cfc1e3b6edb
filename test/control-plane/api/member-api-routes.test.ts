import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { bearer, personalToken } from '../../support/api-tokens';
import { auditOf, makeCustomRole, membershipOf, roleId, roleKeyOf, setRole } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

describe("the API's members: one read (team.view), changed and removed (team.manage)", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let other: TenantRecord;
  let owner: UserRecord;
  let admin: UserRecord;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '1000' });
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme-team');
    other = await makeTenant(t.platform, 'other-team');
    owner = await makeUser(t.platform, { email: 'owner@acme.test' });
    admin = await makeUser(t.platform, { email: 'admin@acme.test' });
    await setRole(t.platform, owner, acme, 'owner');
    await setRole(t.platform, admin, acme, 'admin');
    adminToken = personalToken(t.platform, admin);
  });
  afterAll(() => t.cleanup());

  const member = async (role: string, tenant = acme) => {
    const user = await makeUser(t.platform);
    await setRole(t.platform, user, tenant, role);
    return user;
  };
  const changeRole = (token: string, user: UserRecord, role: string | number, tenant = acme, from = tenant) =>
    request(app)
      .post(`/api/v1/t/${from.slug}/members/${membershipOf(t.platform, user, tenant).membership_id}/role`)
      .set(bearer(token))
      .send({ role_id: typeof role === 'number' ? role : roleId(t.platform, role) });
  const remove = (token: string, user: UserRecord, tenant = acme, from = tenant) =>
    request(app)
      .post(`/api/v1/t/${from.slug}/members/${membershipOf(t.platform, user, tenant).membership_id}/remove`)
      .set(bearer(token));

  it("changes an editor's role to approver, which their very next request is checked against, with its audit record", async () => {
    const editor = await member('editor');
    const editorToken = personalToken(t.platform, editor);
    const item = () => request(app).post('/api/v1/t/acme-team/items').set(bearer(editorToken)).send({ title: 'Draft' });
    expect((await item()).status).toBe(201);

    const res = await changeRole(adminToken, editor, 'approver');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ user: { id: editor.id, email: editor.email }, role: { key: 'approver', name: 'Approver' } });
    expect(roleKeyOf(t.platform, editor, acme)).toBe('approver');
    expect((await item()).status).toBe(403);
    expect(auditOf(t.platform, 'membership.role_change').filter((e) => e.target_id === editor.id)).toEqual([
      expect.objectContaining({ actor_user_id: admin.id, tenant_id: acme.id }),
    ]);
  });

  it('refuses an admin making anyone owner or touching an owner (403), and the last owner giving up the role (409), changing nothing', async () => {
    const editor = await member('editor');
    const makeOwner = await changeRole(adminToken, editor, 'owner');
    expect({ status: makeOwner.status, code: makeOwner.body.code }).toEqual({ status: 403, code: 'forbidden' });
    expect((await changeRole(adminToken, owner, 'viewer')).status).toBe(403);
    expect((await remove(adminToken, owner)).status).toBe(403);
    const ownerToken = personalToken(t.platform, owner);
    const lastOwner = await changeRole(ownerToken, owner, 'admin');
    expect({ status: lastOwner.status, code: lastOwner.body.code }).toEqual({ status: 409, code: 'conflict' });
    expect([roleKeyOf(t.platform, editor, acme), roleKeyOf(t.platform, owner, acme)]).toEqual(['editor', 'owner']);
  });

  it('refuses a member without team.manage with 403, and a bad role or an unknown field with 400 naming it', async () => {
    const editor = await member('editor');
    const viewer = await member('viewer');
    const refused = await changeRole(personalToken(t.platform, editor), viewer, 'editor');
    expect(refused.status).toBe(403);
    const bad = await changeRole(adminToken, viewer, 9999);
    expect({ status: bad.status, errors: bad.body.errors }).toEqual({
      status: 400,
      errors: [{ field: 'role_id', message: 'must be one of the roles offered' }],
    });
    const typo = await request(app)
      .post(`/api/v1/t/acme-team/members/${membershipOf(t.platform, viewer, acme).membership_id}/role`)
      .set(bearer(adminToken))
      .send({ role_id: roleId(t.platform, 'editor'), rol: 'x' });
    expect(typo.status).toBe(400);
    expect(typo.body.errors).toEqual([expect.objectContaining({ field: 'rol' })]);
    expect(roleKeyOf(t.platform, viewer, acme)).toBe('viewer');
  });

  const readOne = (token: string, membershipId: number | string, from = acme) =>
    request(app).get(`/api/v1/t/${from.slug}/members/${membershipId}`).set(bearer(token));

  it('reads one member by membership id for anyone with team.view, in the shape of the list', async () => {
    const editor = await member('editor');
    const viewer = await member('viewer');
    const id = membershipOf(t.platform, editor, acme).membership_id;
    const res = await readOne(personalToken(t.platform, viewer), id);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      membership_id: id,
      user: { id: editor.id, name: editor.name, email: editor.email },
      role: { id: roleId(t.platform, 'editor'), key: 'editor', name: 'Editor' },
      joined_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const listed = await request(app).get('/api/v1/t/acme-team/members?limit=100').set(bearer(adminToken));
    expect(listed.body.data).toContainEqual(res.body.data);
  });

  it("answers 404 to one member read of another workspace's member (by this slug or by theirs), of a removed one, and of an id that is not a number", async () => {
    const elsewhere = await member('editor', other);
    const theirs = membershipOf(t.platform, elsewhere, other).membership_id;
    expect((await readOne(adminToken, theirs)).status).toBe(404);
    expect((await readOne(adminToken, theirs, other)).status).toBe(404);
    const leaving = await member('viewer');
    const gone = membershipOf(t.platform, leaving, acme).membership_id;
    expect((await remove(adminToken, leaving)).status).toBe(200);
    expect((await readOne(adminToken, gone)).status).toBe(404);
    expect((await readOne(adminToken, 'abc')).status).toBe(404);
    const res = await readOne(adminToken, membershipOf(t.platform, admin, acme).membership_id);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(elsewhere.email);
  });

  it("answers 404 for another workspace's member, through this workspace's address, and changes nothing there", async () => {
    const elsewhere = await member('editor', other);
    expect((await changeRole(adminToken, elsewhere, 'viewer', other, acme)).status).toBe(404);
    expect((await remove(adminToken, elsewhere, other, acme)).status).toBe(404);
    expect(roleKeyOf(t.platform, elsewhere, other)).toBe('editor');
  });

  it("answers 404 for another workspace's slug, even with that workspace's member id, and for a token limited to another workspace, changing nothing", async () => {
    const elsewhere = await member('editor', other);
    const mine = await member('editor');
    expect((await changeRole(adminToken, elsewhere, 'viewer', other)).status).toBe(404);
    expect((await remove(adminToken, elsewhere, other)).status).toBe(404);
    const both = await member('owner');
    await setRole(t.platform, both, other, 'owner');
    const limitedToOther = personalToken(t.platform, both, { tenant: other });
    expect((await changeRole(limitedToOther, mine, 'viewer')).status).toBe(404);
    expect((await remove(limitedToOther, mine)).status).toBe(404);
    expect([roleKeyOf(t.platform, elsewhere, other), roleKeyOf(t.platform, mine, acme)]).toEqual(['editor', 'editor']);
    expect(auditOf(t.platform, 'membership.role_change').filter((e) => [elsewhere.id, mine.id].includes(e.target_id ?? ''))).toHaveLength(0);
  });

  it("refuses another workspace's custom role, or one of this workspace on a plan without custom roles, with 400 on role_id, changing nothing", async () => {
    const theirs = makeCustomRole(t.platform, other, 'Their reviewers', ['content.view']);
    const mine = await member('viewer');
    const refused = await changeRole(adminToken, mine, theirs);
    expect({ status: refused.status, errors: refused.body.errors }).toEqual({
      status: 400,
      errors: [{ field: 'role_id', message: 'must be one of the roles offered' }],
    });
    const gated = await makeTenant(t.platform, 'gated-team');
    const gatedOwner = await member('owner', gated);
    const gatedMember = await member('viewer', gated);
    const gatedRole = makeCustomRole(t.platform, gated, 'Kept', ['content.view']);
    t.platform.plans.setTenantOverrides(gated.id, { features: { custom_roles: false } });
    expect((await changeRole(personalToken(t.platform, gatedOwner), gatedMember, gatedRole, gated)).body.errors).toEqual([
      { field: 'role_id', message: 'must be one of the roles offered' },
    ]);
    expect([roleKeyOf(t.platform, mine, acme), roleKeyOf(t.platform, gatedMember, gated)]).toEqual(['viewer', 'viewer']);
  });

  it('removes a member: their next request answers 404, their token limited to the workspace is revoked, and the removal is audited', async () => {
    const leaving = await member('editor');
    const limited = personalToken(t.platform, leaving, { tenant: acme, scopes: ['content.view'] });
    const unlimited = personalToken(t.platform, leaving);
    expect((await request(app).get('/api/v1/t/acme-team/items').set(bearer(limited))).status).toBe(200);

    const res = await remove(adminToken, leaving);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ user: { id: leaving.id }, role: { key: 'editor' }, removed: true });
    expect(t.platform.memberships.findActive(leaving.id, acme.id)).toBeUndefined();
    expect((await request(app).get('/api/v1/t/acme-team/items').set(bearer(unlimited))).status).toBe(404);
    expect((await request(app).get('/api/v1/t/acme-team/items').set(bearer(limited))).status).toBe(401);
    expect(auditOf(t.platform, 'membership.remove').filter((e) => e.target_id === leaving.id)).toHaveLength(1);
  });

  it('replays a removal retried with its Idempotency-Key instead of answering that the member is gone', async () => {
    const leaving = await member('viewer');
    const path = `/api/v1/t/acme-team/members/${membershipOf(t.platform, leaving, acme).membership_id}/remove`;
    const first = await request(app).post(path).set(bearer(adminToken)).set('Idempotency-Key', 'remove-once');
    const again = await request(app).post(path).set(bearer(adminToken)).set('Idempotency-Key', 'remove-once');
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(auditOf(t.platform, 'membership.remove').filter((e) => e.target_id === leaving.id)).toHaveLength(1);
  });

  it('answers a removal sent twice without an Idempotency-Key, after or at once, with the first one, removing once', async () => {
    const leaving = await member('editor');
    const path = `/api/v1/t/acme-team/members/${membershipOf(t.platform, leaving, acme).membership_id}/remove`;
    const send = () => request(app).post(path).set(bearer(adminToken));
    const first = await send();
    const again = await send();
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect(first.body.data).toMatchObject({ user: { id: leaving.id }, role: { key: 'editor' }, removed: true });

    await setRole(t.platform, leaving, acme, 'editor');
    const atOnce = await Promise.all([send(), send()]);
    expect(atOnce.map((r) => [r.status, r.body.data.removed, r.body.data.user.id])).toEqual([
      [200, true, leaving.id],
      [200, true, leaving.id],
    ]);
    expect(auditOf(t.platform, 'membership.remove').filter((e) => e.target_id === leaving.id)).toHaveLength(2);
  });

  it('still answers 404 to a removal repeated by another member or long after', async () => {
    const leaving = await member('viewer');
    const path = `/api/v1/t/acme-team/members/${membershipOf(t.platform, leaving, acme).membership_id}/remove`;
    expect((await request(app).post(path).set(bearer(adminToken))).status).toBe(200);
    expect(
      (
        await request(app)
          .post(path)
          .set(bearer(personalToken(t.platform, owner)))
      ).status,
    ).toBe(404);
    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'membership.remove'", [DOUBLE_SUBMIT_MS + 1000]);
    expect((await request(app).post(path).set(bearer(adminToken))).status).toBe(404);
  });

  it('is documented, with the scope each operation needs', async () => {
    const document = (await request(app).get('/api/v1/openapi.json')).body;
    expect(document.paths['/api/v1/t/{slug}/members/{id}'].get).toMatchObject({ 'x-permission': 'team.view' });
    expect(document.paths['/api/v1/t/{slug}/members/{id}/role'].post).toMatchObject({ 'x-permission': 'team.manage' });
    expect(document.paths['/api/v1/t/{slug}/members/{id}/remove'].post).toMatchObject({ 'x-permission': 'team.manage' });
  });
});
