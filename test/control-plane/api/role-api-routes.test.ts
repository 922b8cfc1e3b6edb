import request from 'supertest';
import { z } from 'zod';
import { roleSchema } from '../../../control-plane/api/role-api-routes';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { bearer, personalToken } from '../../support/api-tokens';
import { auditOf, invitationRow, makeCustomRole, roleId, roleKeyOf, setRole } from '../../support/team';
import { createInvitation } from '../../../control-plane/invitations/create-invitation';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

describe("the API's custom roles (roles.manage)", () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let other: TenantRecord;
  let admin: UserRecord;
  let adminToken: string;
  let otherToken: string;

  beforeAll(async () => {
    t = await createTestPlatform({ API_RATE_LIMIT: '1000' });
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme-roles');
    other = await makeTenant(t.platform, 'other-roles');
    admin = await makeUser(t.platform, { email: 'admin@acme.test' });
    await setRole(t.platform, admin, acme, 'admin');
    const otherOwner = await makeUser(t.platform);
    await setRole(t.platform, otherOwner, other, 'owner');
    adminToken = personalToken(t.platform, admin);
    otherToken = personalToken(t.platform, otherOwner);
  });
  afterAll(() => t.cleanup());

  const roleRow = (id: number) => t.platform.roles.findById(id);
  const roleCount = () => (t.platform.db.connection().prepare('select count(*) as n from roles').get() as { n: number }).n;
  const api = (method: 'get' | 'post' | 'patch', path: string, token = adminToken, tenant = acme) =>
    request(app)[method](`/api/v1/t/${tenant.slug}${path}`).set(bearer(token));
  /** An answer's role has exactly the fields the document gives it, of their types. */
  const documented = (data: unknown) => z.strictObject(roleSchema.shape).parse(data);
  const member = async (role: string | number, tenant = acme) => {
    const user = await makeUser(t.platform);
    await setRole(t.platform, user, tenant, role);
    return user;
  };

  it('creates a role, answering it with its effective permissions and its address, with its audit record', async () => {
    const res = await api('post', '/roles').send({
      name: 'Proofreaders',
      description: 'Read and approve',
      parent_role_id: roleId(t.platform, 'viewer'),
      permissions: ['content.approve'],
    });
    expect(res.status).toBe(201);
    documented(res.body.data);
    expect(res.body.data).toMatchObject({
      name: 'Proofreaders',
      description: 'Read and approve',
      predefined: false,
      parent_id: roleId(t.platform, 'viewer'),
      own_permissions: ['content.approve'],
      members: 0,
    });
    expect(res.body.data.permissions).toEqual(expect.arrayContaining(['content.approve', 'content.view', 'team.view']));
    expect(res.headers.location).toBe(`/api/v1/t/acme-roles/roles/${res.body.data.id}`);
    expect(roleRow(res.body.data.id)?.tenant_id).toBe(acme.id);
    expect(auditOf(t.platform, 'role.create').filter((e) => e.target_id === String(res.body.data.id))).toEqual([
      expect.objectContaining({ actor_user_id: admin.id, tenant_id: acme.id }),
    ]);
    expect((await api('get', `/roles/${res.body.data.id}`)).body.data).toEqual(res.body.data);
  });

  it("applies a change to the role's members on their next API request, changing only the fields sent, with its audit record", async () => {
    const id = makeCustomRole(t.platform, acme, 'Writers', ['content.view', 'team.view']);
    const writer = await member(id);
    const writerToken = personalToken(t.platform, writer);
    const draft = () => api('post', '/items', writerToken).send({ title: 'Draft' });
    expect((await draft()).status).toBe(403);

    const res = await api('patch', `/roles/${id}`).send({ permissions: ['content.view', 'team.view', 'content.create'] });
    expect(res.status).toBe(200);
    documented(res.body.data);
    expect(res.body.data).toMatchObject({ id, name: 'Writers', members: 1 });
    expect(res.body.data.own_permissions).toEqual(['content.create', 'content.view', 'team.view']);
    expect((await draft()).status).toBe(201);

    const renamed = await api('patch', `/roles/${id}`).send({ name: 'Authors' });
    expect(renamed.body.data).toMatchObject({ name: 'Authors', own_permissions: ['content.create', 'content.view', 'team.view'] });
    expect(auditOf(t.platform, 'role.update').filter((e) => e.target_id === String(id))).toHaveLength(2);
  });

  it('answers a change that changes nothing (no field, the same values, its permissions in another order) with the role, writing no audit record', async () => {
    const id = makeCustomRole(t.platform, acme, 'Steady', ['content.view', 'team.view']);
    const records = () => auditOf(t.platform, 'role.update').filter((e) => e.target_id === String(id));
    for (const body of [{}, { name: 'Steady', description: '' }, { permissions: ['team.view', 'content.view'], parent_role_id: null }]) {
      const res = await api('patch', `/roles/${id}`).send(body);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id, name: 'Steady', own_permissions: ['content.view', 'team.view'] });
    }
    expect(records()).toHaveLength(0);
    expect((await api('patch', `/roles/${id}`).send({ description: 'Now described' })).status).toBe(200);
    expect(records()).toHaveLength(1);
  });

  it('refuses a member without roles.manage and a plan without custom roles with 403, creating and changing nothing', async () => {
    const id = makeCustomRole(t.platform, acme, 'Untouched', ['content.view']);
    const editorToken = personalToken(t.platform, await member('editor'));
    const before = roleCount();
    expect((await api('post', '/roles', editorToken).send({ name: 'Sneaky' })).status).toBe(403);
    expect((await api('patch', `/roles/${id}`, editorToken).send({ name: 'Sneaky' })).status).toBe(403);
    expect((await api('post', `/roles/${id}/delete`, editorToken)).status).toBe(403);

    const basic = await makeTenant(t.platform, 'basic-roles');
    const basicOwner = await member('owner', basic);
    const basicRole = makeCustomRole(t.platform, basic, 'Kept', ['content.view']);
    t.platform.plans.setTenantOverrides(basic.id, { features: { custom_roles: false } });
    const basicToken = personalToken(t.platform, basicOwner);
    const answers = [
      await api('post', '/roles', basicToken, basic).send({ name: 'Gated' }),
      await api('patch', `/roles/${basicRole}`, basicToken, basic).send({ name: 'Gated' }),
      await api('post', `/roles/${basicRole}/delete`, basicToken, basic),
    ];
    for (const res of answers) expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'feature_disabled' });
    expect(roleCount()).toBe(before + 1);
    expect([roleRow(id)?.name, roleRow(basicRole)?.name]).toEqual(['Untouched', 'Kept']);
  });

  it('refuses an admin building, widening or deleting a role with a permission the admin lacks (403), and a predefined role, changing nothing', async () => {
    const ownerish = makeCustomRole(t.platform, acme, 'Deleters', ['tenant.delete.request']);
    const mine = makeCustomRole(t.platform, acme, 'Readers', ['content.view']);
    const before = roleCount();
    const grant = await api('post', '/roles').send({ name: 'Escalated', permissions: ['tenant.delete.request'] });
    expect({ status: grant.status, code: grant.body.code }).toEqual({ status: 403, code: 'forbidden' });
    expect((await api('post', '/roles').send({ name: 'Under owner', parent_role_id: roleId(t.platform, 'owner') })).status).toBe(403);
    expect((await api('patch', `/roles/${mine}`).send({ parent_role_id: roleId(t.platform, 'owner') })).status).toBe(403);
    expect((await api('patch', `/roles/${ownerish}`).send({ name: 'Renamed' })).status).toBe(403);
    expect((await api('post', `/roles/${ownerish}/delete`)).status).toBe(403);
    expect((await api('patch', `/roles/${roleId(t.platform, 'viewer')}`).send({ name: 'Lookers' })).status).toBe(403);
    expect((await api('post', `/roles/${roleId(t.platform, 'viewer')}/delete`)).status).toBe(403);
    expect(roleCount()).toBe(before);
    expect([roleRow(ownerish)?.name, roleRow(mine)?.parent_role_id, roleRow(roleId(t.platform, 'viewer'))?.name]).toEqual(['Deleters', null, 'Viewer']);
  });

  it('refuses an unknown field, a bad value or a name another role of the workspace has with 400 naming the field, changing nothing', async () => {
    const id = makeCustomRole(t.platform, acme, 'Checkers', ['content.view']);
    makeCustomRole(t.platform, other, 'Only elsewhere', ['content.view']);
    const before = roleCount();
    const fields = async (res: request.Response) => {
      expect(res.status).toBe(400);
      return (res.body.errors as Array<{ field: string }>).map((e) => e.field);
    };
    expect(await fields(await api('post', '/roles').send({ name: 'Typo', permisions: ['content.view'] }))).toEqual(['permisions']);
    expect(await fields(await api('post', '/roles').send({ permissions: ['content.view'] }))).toEqual(['name']);
    expect(await fields(await api('post', '/roles').send({ name: 'Bad', permissions: ['content.fly'] }))).toEqual(['permissions']);
    expect(await fields(await api('post', '/roles').send({ name: 'Bad', parent_role_id: 1.5 }))).toEqual(['parent_role_id']);
    expect(await fields(await api('post', '/roles').send({ name: 'checkers' }))).toEqual(['name']);
    expect(await fields(await api('post', '/roles').send({ name: 'Editor' }))).toEqual(['name']);
    expect(await fields(await api('patch', `/roles/${id}`).send({ nam: 'Other' }))).toEqual(['nam']);
    expect(await fields(await api('patch', `/roles/${id}`).send({ parent_role_id: id }))).toEqual(['parent_role_id']);
    expect(await fields(await api('post', `/roles/${id}/delete`).send({ replacement: 1 }))).toEqual(['replacement']);
    expect(roleCount()).toBe(before);
    expect(roleRow(id)).toMatchObject({ name: 'Checkers', parent_role_id: null, permissions: '["content.view"]' });
    // A name used only in another workspace is free here.
    expect((await api('post', '/roles').send({ name: 'Only elsewhere' })).status).toBe(201);
  });

  it.each(['one after the other', 'at once'])(
    'answers the same new role sent twice %s without an Idempotency-Key with the role the first made, making one',
    async (label) => {
      const name = `Retried ${label}`;
      const send = () => api('post', '/roles').send({ name, permissions: ['content.view'] });
      const answers = label === 'at once' ? await Promise.all([send(), send()]) : [await send(), await send()];
      expect(answers.map((res) => res.status)).toEqual([201, 201]);
      const made = t.platform.roles.listForTenant(acme.id).filter((r) => r.name === name);
      expect(made).toHaveLength(1);
      for (const res of answers) {
        expect(res.body.data).toMatchObject({ id: made[0].id, name });
        expect(res.headers.location).toBe(`/api/v1/t/acme-roles/roles/${made[0].id}`);
      }
    },
  );

  it('takes every role id as the forms do, a whole number or its digits as text, and names the field for anything else', async () => {
    const viewer = roleId(t.platform, 'viewer');
    const created = await api('post', '/roles').send({ name: 'Text parent', parent_role_id: String(viewer) });
    expect(created.status).toBe(201);
    expect(created.body.data.parent_id).toBe(viewer);
    const id = created.body.data.id as number;
    const editor = roleId(t.platform, 'editor');
    expect((await api('patch', `/roles/${id}`).send({ parent_role_id: String(editor) })).body.data.parent_id).toBe(editor);
    for (const bad of ['abc', '012', '1.5', true, 1.5, 1e20, {}]) {
      const res = await api('patch', `/roles/${id}`).send({ parent_role_id: bad });
      expect({ bad, status: res.status, errors: res.body.errors }).toEqual({
        bad,
        status: 400,
        errors: [{ field: 'parent_role_id', message: 'must be a role id (a whole number), or null for none' }],
      });
      const removal = await api('post', `/roles/${id}/delete`).send({ replacement_role_id: bad });
      expect({ bad, status: removal.status, field: removal.body.errors?.[0]?.field }).toEqual({ bad, status: 400, field: 'replacement_role_id' });
    }
    expect(roleRow(id)?.parent_role_id).toBe(editor);
    const holder = await member(id);
    const res = await api('post', `/roles/${id}/delete`).send({ replacement_role_id: String(viewer) });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ deleted: true, members_moved: 1, replacement_role_id: viewer });
    expect(roleKeyOf(t.platform, holder, acme)).toBe('viewer');
  });

  it('deletes a role in use only with a replacement, moving its members and pending invitations, and not one other roles inherit from', async () => {
    const used = makeCustomRole(t.platform, acme, 'Reviewers', ['content.view']);
    const holder = await member(used);
    const invitation = createInvitation(t.platform, { tenantId: acme.id, email: 'reviewer@acme.test', roleId: used, invitedBy: null });
    const parent = makeCustomRole(t.platform, acme, 'Base', ['content.view']);
    makeCustomRole(t.platform, acme, 'Derived', [], parent);

    const missing = await api('post', `/roles/${used}/delete`);
    expect({ status: missing.status, errors: missing.body.errors.map((e: { field: string }) => e.field) }).toEqual({
      status: 400,
      errors: ['replacement_role_id'],
    });
    const inherited = await api('post', `/roles/${parent}/delete`);
    expect({ status: inherited.status, code: inherited.body.code }).toEqual({ status: 409, code: 'conflict' });
    expect([roleRow(used)?.name, roleRow(parent)?.name, roleKeyOf(t.platform, holder, acme)]).toEqual(['Reviewers', 'Base', expect.stringMatching(/^custom-/)]);

    const res = await api('post', `/roles/${used}/delete`).send({ replacement_role_id: roleId(t.platform, 'editor') });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: used, name: 'Reviewers', deleted: true, members_moved: 1, replacement_role_id: roleId(t.platform, 'editor') });
    expect(roleRow(used)).toBeUndefined();
    expect(roleKeyOf(t.platform, holder, acme)).toBe('editor');
    expect(invitationRow(t.platform, invitation.id)?.role_id).toBe(roleId(t.platform, 'editor'));
    expect(auditOf(t.platform, 'role.delete').filter((e) => e.target_id === String(used))).toHaveLength(1);
    expect((await api('get', `/roles/${used}`)).status).toBe(404);
  });

  it('answers a deletion sent twice without an Idempotency-Key, after or at once, with the first answer, deleting and recording once', async () => {
    const used = makeCustomRole(t.platform, acme, 'Sent twice', ['content.view']);
    await member(used);
    const editor = roleId(t.platform, 'editor');
    const remove = (id: number) => api('post', `/roles/${id}/delete`).send({ replacement_role_id: editor });
    const first = await remove(used);
    const again = await remove(used);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect(again.body.data).toEqual({ id: used, name: 'Sent twice', deleted: true, members_moved: 1, replacement_role_id: editor });

    const atOnce = makeCustomRole(t.platform, acme, 'Sent at once', ['content.view']);
    const both = await Promise.all([remove(atOnce), remove(atOnce)]);
    expect(both.map((r) => [r.status, r.body.data.name, r.body.data.deleted])).toEqual([
      [200, 'Sent at once', true],
      [200, 'Sent at once', true],
    ]);
    const records = (id: number) => auditOf(t.platform, 'role.delete').filter((e) => e.target_id === String(id));
    expect([records(used).length, records(atOnce).length]).toEqual([1, 1]);
    // A malformed body is refused all the same, repeat or not.
    expect((await api('post', `/roles/${used}/delete`).send({ replacement_role_id: 'nope' })).status).toBe(400);
  });

  it("answers another member's repeat of a deletion, and the same caller's long after, with a 404, recording nothing", async () => {
    const doomed = makeCustomRole(t.platform, acme, 'Doomed for good', ['content.view']);
    expect((await api('post', `/roles/${doomed}/delete`)).status).toBe(200);
    expect((await api('post', `/roles/${doomed}/delete`, personalToken(t.platform, await member('admin')))).status).toBe(404);
    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'role.delete' and target_id = ?", [
      DOUBLE_SUBMIT_MS + 1000,
      String(doomed),
    ]);
    expect((await api('post', `/roles/${doomed}/delete`)).status).toBe(404);
    expect(auditOf(t.platform, 'role.delete').filter((e) => e.target_id === String(doomed))).toHaveLength(1);
  });

  describe('across workspaces', () => {
    it("answers 404 for another workspace's role id through this workspace's address, changing nothing there", async () => {
      const theirs = makeCustomRole(t.platform, other, 'Theirs', ['content.view']);
      expect((await api('get', `/roles/${theirs}`)).status).toBe(404);
      expect((await api('patch', `/roles/${theirs}`).send({ name: 'Taken over' })).status).toBe(404);
      expect((await api('post', `/roles/${theirs}/delete`).send({ replacement_role_id: roleId(t.platform, 'viewer') })).status).toBe(404);
      expect(roleRow(theirs)).toMatchObject({ name: 'Theirs', tenant_id: other.id });
    });

    it("answers 404 for another workspace's slug, even with its own role id, changing nothing", async () => {
      const theirs = makeCustomRole(t.platform, other, 'Theirs too', ['content.view']);
      const before = roleCount();
      expect((await api('get', `/roles/${theirs}`, adminToken, other)).status).toBe(404);
      expect((await api('post', '/roles', adminToken, other).send({ name: 'Planted' })).status).toBe(404);
      expect((await api('patch', `/roles/${theirs}`, adminToken, other).send({ name: 'Taken over' })).status).toBe(404);
      expect((await api('post', `/roles/${theirs}/delete`, adminToken, other)).status).toBe(404);
      expect(roleCount()).toBe(before);
      expect(roleRow(theirs)?.name).toBe('Theirs too');
    });

    it("refuses another workspace's role as a parent or a replacement with 400 naming the field, changing nothing", async () => {
      const theirs = makeCustomRole(t.platform, other, 'Their parent', ['content.view', 'content.approve']);
      const mine = makeCustomRole(t.platform, acme, 'Mine', ['content.view']);
      await member(mine);
      const before = roleCount();
      const field = (res: request.Response) => ({ status: res.status, field: res.body.errors?.[0]?.field });
      expect(field(await api('post', '/roles').send({ name: 'Child', parent_role_id: theirs }))).toEqual({ status: 400, field: 'parent_role_id' });
      expect(field(await api('patch', `/roles/${mine}`).send({ parent_role_id: theirs }))).toEqual({ status: 400, field: 'parent_role_id' });
      expect(field(await api('post', `/roles/${mine}/delete`).send({ replacement_role_id: theirs }))).toEqual({ status: 400, field: 'replacement_role_id' });
      expect(roleCount()).toBe(before);
      expect(roleRow(mine)?.parent_role_id).toBeNull();
      // Their own workspace still sees its role as it was.
      expect((await api('get', `/roles/${theirs}`, otherToken, other)).body.data).toMatchObject({ name: 'Their parent', members: 0 });
    });
  });

  it('refuses a change sent with the revision a client read before someone else changed the role (409 revision_conflict naming the current one), changing nothing; none sent changes as before', async () => {
    const id = makeCustomRole(t.platform, acme, 'Revised', ['content.view']);
    const read = (await api('get', `/roles/${id}`)).body.data;
    expect(read.revision).toBe(1);
    expect((await api('patch', `/roles/${id}`).send({ permissions: ['content.view', 'content.create'], revision: 1 })).body.data.revision).toBe(2);
    const before = roleRow(id);
    const records = auditOf(t.platform, 'role.update').length;

    const stale = await api('patch', `/roles/${id}`).send({ permissions: ['content.view'], revision: read.revision });

    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'revision_conflict', current_revision: 2 });
    expect(roleRow(id)).toEqual(before);
    expect(auditOf(t.platform, 'role.update')).toHaveLength(records);
    expect((await api('patch', `/roles/${id}`).send({ name: 'Revised again' })).body.data).toMatchObject({ name: 'Revised again', revision: 3 });
    expect((await api('patch', `/roles/${id}`).send({ name: 'x', revision: 'latest' })).body.errors).toEqual([
      { field: 'revision', message: 'must be a revision number' },
    ]);
  });

  it('answers a change sent again on the revision it was first sent with as done (200), writing nothing more, while one that changes a field is still refused', async () => {
    const id = makeCustomRole(t.platform, acme, 'Resent', ['content.view']);
    const change = { name: 'Resent twice', permissions: ['content.view', 'content.create'], revision: 1 };
    const first = await api('patch', `/roles/${id}`).send(change);
    expect(first.body.data).toMatchObject({ name: 'Resent twice', revision: 2 });
    const before = roleRow(id);
    const records = auditOf(t.platform, 'role.update').length;

    const again = await api('patch', `/roles/${id}`).send({ ...change, permissions: ['content.create', 'content.view'] });

    expect({ status: again.status, ...again.body.data }).toEqual({ status: 200, ...first.body.data });
    expect(roleRow(id)).toEqual(before);
    expect(auditOf(t.platform, 'role.update')).toHaveLength(records);
    const stale = await api('patch', `/roles/${id}`).send({ ...change, description: 'Changed' });
    expect(stale.body).toMatchObject({ code: 'revision_conflict', current_revision: 2 });
    expect(roleRow(id)).toEqual(before);
  });

  it("is not helped by the revision another workspace's role is at, and answers 404 for that role whatever the revision", async () => {
    const mine = makeCustomRole(t.platform, acme, 'Mine only', ['content.view']);
    const theirs = makeCustomRole(t.platform, other, 'Theirs only', ['content.view']);
    await api('patch', `/roles/${mine}`).send({ name: 'Mine, renamed' });
    for (const name of ['Theirs 2', 'Theirs 3', 'Theirs 4']) await api('patch', `/roles/${theirs}`, otherToken, other).send({ name });
    const [mineBefore, theirsBefore] = [roleRow(mine), roleRow(theirs)];

    const res = await api('patch', `/roles/${mine}`).send({ name: 'Stale', revision: theirsBefore?.revision });
    expect(res.body).toMatchObject({ code: 'revision_conflict', current_revision: 2 });
    expect((await api('patch', `/roles/${theirs}`).send({ name: 'Pwned', revision: theirsBefore?.revision })).status).toBe(404);
    expect([roleRow(mine), roleRow(theirs)]).toEqual([mineBefore, theirsBefore]);
  });

  it('replays a creation and a deletion retried with their Idempotency-Key: one role made, one deleted', async () => {
    const before = roleCount();
    const create = () =>
      api('post', '/roles')
        .set('Idempotency-Key', 'role-once')
        .send({ name: 'Once', permissions: ['content.view'] });
    const first = await create();
    const again = await create();
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(roleCount()).toBe(before + 1);

    const remove = () => api('post', `/roles/${first.body.data.id}/delete`).set('Idempotency-Key', 'role-gone');
    const deleted = await remove();
    const replayed = await remove();
    expect([deleted.status, replayed.status]).toEqual([200, 200]);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(auditOf(t.platform, 'role.delete').filter((e) => e.target_id === String(first.body.data.id))).toHaveLength(1);
  });

  it('reads one role, predefined or custom, with team.view, and is documented with the permission each operation needs', async () => {
    const viewerToken = personalToken(t.platform, await member('viewer'));
    const viewer = await api('get', `/roles/${roleId(t.platform, 'viewer')}`, viewerToken);
    expect(viewer.body.data).toMatchObject({ name: 'Viewer', predefined: true, parent_id: null });
    for (const role of (await api('get', '/roles', viewerToken)).body.data) documented(role);
    expect((await api('get', '/roles/abc', viewerToken)).status).toBe(404);
    const document = (await request(app).get('/api/v1/openapi.json')).body;
    expect(document.paths['/api/v1/t/{slug}/roles'].post).toMatchObject({ 'x-permission': 'roles.manage' });
    expect(document.paths['/api/v1/t/{slug}/roles/{id}'].get).toMatchObject({ 'x-permission': 'team.view' });
    expect(document.paths['/api/v1/t/{slug}/roles/{id}'].patch).toMatchObject({ 'x-permission': 'roles.manage' });
    expect(document.paths['/api/v1/t/{slug}/roles/{id}/delete'].post).toMatchObject({ 'x-permission': 'roles.manage' });
  });
});
