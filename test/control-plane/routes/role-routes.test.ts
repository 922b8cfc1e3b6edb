import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { createInvitation } from '../../../control-plane/invitations/create-invitation';
import { auditOf, invitationRow, makeCustomRole, roleId, roleKeyOf, setRole } from '../../support/team';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';
import { DOUBLE_SUBMIT_MS } from '../../../core/http/double-submit';

describe('custom roles', () => {
  let t: TestPlatform;
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let alice: Agent; // owner of alpha
  let adam: Agent; // admin of alpha
  let erin: Agent; // member of alpha whose role the tests change
  let erinUser: UserRecord;
  let bravoRole: number;

  const roleCount = () => (t.platform.db.connection().prepare('select count(*) as n from roles').get() as { n: number }).n;
  const roleRow = (id: number) => t.platform.roles.findById(id);
  const createRole = (body: Record<string, string | string[]>) => postForm(alice, '/t/alpha/roles', body as Record<string, string>);

  beforeAll(async () => {
    t = await createTestPlatform();
    const { app } = createApp(t.platform);
    alpha = await makeTenant(t.platform, 'alpha');
    bravo = await makeTenant(t.platform, 'bravo');
    const users = await Promise.all(['alice', 'adam', 'erin', 'bob'].map((n) => makeUser(t.platform, { email: `${n}@example.com` })));
    const [aliceUser, adamUser, , bobUser] = users;
    erinUser = users[2];
    await setRole(t.platform, aliceUser, alpha, 'owner');
    await setRole(t.platform, adamUser, alpha, 'admin');
    await setRole(t.platform, erinUser, alpha, 'viewer');
    await setRole(t.platform, bobUser, bravo, 'owner');
    bravoRole = makeCustomRole(t.platform, bravo, 'Bravo Reviewers', ['content.view', 'content.approve']);
    alice = await signIn(app, aliceUser.email);
    alice.set('User-Agent', 'role-tests/1.0');
    adam = await signIn(app, adamUser.email);
    erin = await signIn(app, erinUser.email);
  });
  afterAll(() => t.cleanup());

  it('lists predefined and custom roles with a matrix that describes each permission', async () => {
    makeCustomRole(t.platform, alpha, 'Proofreaders', ['content.view']);
    const res = await alice.get('/t/alpha/roles');
    expect(res.status).toBe(200);
    for (const text of [
      'Owner',
      'Admin',
      'Approver',
      'Editor',
      'Viewer',
      'Proofreaders',
      'tenant.ownership.transfer',
      'See the members of the workspace',
      'Create, edit and delete custom roles',
    ]) {
      expect(res.text).toContain(text);
    }
    expect(res.text).not.toContain('Bravo Reviewers');
  });

  it("gives a role inheriting from editor the editor's permissions plus its own, from the member's next request", async () => {
    const res = await createRole({ name: 'Senior editor', parent_role_id: String(roleId(t.platform, 'editor')), permissions: ['team.invite'] });
    expect(res.status).toBe(303);
    const role = t.platform.roles.listForTenant(alpha.id).find((r) => r.name === 'Senior editor');
    expect(role).toMatchObject({ tenant_id: alpha.id, parent_role_id: roleId(t.platform, 'editor'), is_predefined: 0 });
    expect([...t.platform.access.permissionsOfRole(role?.id ?? 0)].sort()).toEqual(
      ['content.create', 'content.edit', 'content.view', 'team.invite', 'team.view', 'tenant.settings.view', 'usage.view'].sort(),
    );

    expect((await erin.get('/t/alpha/items/new')).status).toBe(403);
    await setRole(t.platform, erinUser, alpha, role?.id ?? 0);
    expect((await erin.get('/t/alpha/items/new')).status).toBe(200); // inherited from editor
    expect((await erin.get('/t/alpha/invitations')).status).toBe(200); // its own
    expect((await erin.get('/t/alpha/roles')).status).toBe(403); // neither
    const [created] = auditOf(t.platform, 'role.create').filter((a) => a.target_id === String(role?.id));
    expect(created).toMatchObject({
      tenant_id: alpha.id,
      target_type: 'role',
      actor_user_id: expect.any(String),
      ip: expect.any(String),
      user_agent: 'role-tests/1.0',
    });
    expect(JSON.parse(created.after ?? '{}')).toEqual({
      name: 'Senior editor',
      description: '',
      parentRoleId: roleId(t.platform, 'editor'),
      permissions: ['team.invite'],
    });
  });

  it("applies an edit to the role's members (and to roles inheriting from it) on their next request", async () => {
    const base = makeCustomRole(t.platform, alpha, 'Base', ['team.invite']);
    const child = makeCustomRole(t.platform, alpha, 'Child', ['content.view'], base);
    await setRole(t.platform, erinUser, alpha, child);
    expect((await erin.get('/t/alpha/invitations')).status).toBe(200);
    const res = await postForm(alice, `/t/alpha/roles/${base}`, { name: 'Base', description: 'trimmed down', permissions: 'usage.view' });
    expect(res.status).toBe(303);
    expect((await erin.get('/t/alpha/invitations')).status).toBe(403);
    const updated = auditOf(t.platform, 'role.update').find((a) => a.target_id === String(base));
    expect(JSON.parse(updated?.before ?? '{}')).toMatchObject({ permissions: ['team.invite'], description: '' });
    expect(JSON.parse(updated?.after ?? '{}')).toMatchObject({ permissions: ['usage.view'], description: 'trimmed down' });
  });

  it('refuses a parent that leads back to the role itself, naming parent_role_id, and changes nothing', async () => {
    const a = makeCustomRole(t.platform, alpha, 'Cycle A', ['content.view']);
    const b = makeCustomRole(t.platform, alpha, 'Cycle B', [], a);
    const c = makeCustomRole(t.platform, alpha, 'Cycle C', [], b);
    for (const parent of [a, c]) {
      const res = await postForm(alice, `/t/alpha/roles/${a}`, { name: 'Cycle A', parent_role_id: String(parent), permissions: 'content.view' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('parent_role_id');
      expect(res.text).toContain('inherit from itself');
    }
    expect(roleRow(a)?.parent_role_id).toBeNull();
  });

  it('refuses a chain of more than five roles, for a new role and for a role with descendants', async () => {
    let parent = roleId(t.platform, 'editor');
    for (const n of [1, 2, 3, 4]) parent = makeCustomRole(t.platform, alpha, `Level ${n}`, [], parent);
    const before = roleCount();
    const deep = await createRole({ name: 'Level 5', parent_role_id: String(parent) });
    expect(deep.status).toBe(400);
    expect(deep.text).toContain('parent_role_id');
    expect(deep.text).toContain('more than 5 roles');
    expect(roleCount()).toBe(before);

    const top = makeCustomRole(t.platform, alpha, 'Subtree top');
    makeCustomRole(t.platform, alpha, 'Subtree leaf', [], top);
    const level3 = roleRow(roleRow(parent)?.parent_role_id ?? 0)?.id ?? 0;
    const moved = await postForm(alice, `/t/alpha/roles/${top}`, { name: 'Subtree top', parent_role_id: String(level3) });
    expect(moved.status).toBe(400);
    expect(moved.text).toContain('more than 5 roles');
    expect(roleRow(top)?.parent_role_id).toBeNull();
  });

  it('shows predefined roles read-only and refuses to change or delete them', async () => {
    const editor = roleId(t.platform, 'editor');
    const page = await alice.get(`/t/alpha/roles/${editor}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('not editable');
    expect(page.text).not.toContain('Delete role');
    expect((await postForm(alice, `/t/alpha/roles/${editor}`, { name: 'Hacked', permissions: 'roles.manage' })).status).toBe(403);
    expect((await postForm(alice, `/t/alpha/roles/${editor}/delete`, { replacement_role_id: String(roleId(t.platform, 'viewer')) })).status).toBe(403);
    expect(roleRow(editor)).toMatchObject({ name: 'Editor', tenant_id: null });
  });

  it('deletes a role in use only when a replacement is chosen, moving its members and pending invitations', async () => {
    const doomed = makeCustomRole(t.platform, alpha, 'Doomed', ['content.view', 'content.create']);
    await setRole(t.platform, erinUser, alpha, doomed);
    const invitation = createInvitation(t.platform, { tenantId: alpha.id, email: 'later@example.com', roleId: doomed, invitedBy: null });

    const refused = await postForm(alice, `/t/alpha/roles/${doomed}/delete`, {});
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('replacement_role_id');
    expect(refused.text).toContain('1 member has this role.');
    expect(roleRow(doomed)).toBeDefined();

    const editor = roleId(t.platform, 'editor');
    const res = await postForm(alice, `/t/alpha/roles/${doomed}/delete`, { replacement_role_id: String(editor) });
    expect(res.status).toBe(303);
    expect(roleRow(doomed)).toBeUndefined();
    expect(roleKeyOf(t.platform, erinUser, alpha)).toBe('editor');
    expect(invitationRow(t.platform, invitation.id)?.role_id).toBe(editor);
    expect((await erin.get('/t/alpha/items/new')).status).toBe(200);
    const deleted = auditOf(t.platform, 'role.delete').find((a) => a.target_id === String(doomed));
    expect(JSON.parse(deleted?.before ?? '{}')).toMatchObject({ name: 'Doomed' });
    expect(JSON.parse(deleted?.after ?? '{}')).toEqual({ replacementRoleId: editor, membersMoved: 1 });
  });

  it('deletes an unused role without a replacement, but not a role others inherit from', async () => {
    const unused = makeCustomRole(t.platform, alpha, 'Unused');
    expect((await postForm(alice, `/t/alpha/roles/${unused}/delete`, {})).status).toBe(303);
    expect(roleRow(unused)).toBeUndefined();
    const parent = makeCustomRole(t.platform, alpha, 'Parent of one');
    makeCustomRole(t.platform, alpha, 'Its child', [], parent);
    const res = await postForm(alice, `/t/alpha/roles/${parent}/delete`, {});
    expect(res.status).toBe(409);
    expect(res.text).toContain('is the parent of 1 other role');
    expect(roleRow(parent)).toBeDefined();
  });

  it('answers a deletion sent twice by the same member, after or at once, as done both times, deleting and recording once', async () => {
    const doomed = makeCustomRole(t.platform, alpha, 'Twice doomed');
    const remove = (id: number) => postForm(alice, `/t/alpha/roles/${id}/delete`, {});
    const first = await remove(doomed);
    const again = await remove(doomed);
    expect([again.status, again.headers.location]).toEqual([303, first.headers.location]);
    expect((await alice.get(again.headers.location)).text).toContain('The role Twice doomed was deleted.');

    const atOnce = makeCustomRole(t.platform, alpha, 'At once doomed');
    expect((await Promise.all([remove(atOnce), remove(atOnce)])).map((r) => [r.status, r.headers.location])).toEqual([
      [303, first.headers.location],
      [303, first.headers.location],
    ]);
    const records = (id: number) => auditOf(t.platform, 'role.delete').filter((a) => a.target_id === String(id));
    expect([records(doomed).length, records(atOnce).length]).toEqual([1, 1]);
  });

  it("answers another member's repeat of a deletion, and the same member's long after, with a 404, recording nothing", async () => {
    const doomed = makeCustomRole(t.platform, alpha, 'Doomed once');
    expect((await postForm(alice, `/t/alpha/roles/${doomed}/delete`, {})).status).toBe(303);
    expect((await postForm(adam, `/t/alpha/roles/${doomed}/delete`, {})).status).toBe(404);
    t.platform.db.run("update audit_events set created_at = created_at - ? where action = 'role.delete' and target_id = ?", [
      DOUBLE_SUBMIT_MS + 1000,
      String(doomed),
    ]);
    expect((await postForm(alice, `/t/alpha/roles/${doomed}/delete`, {})).status).toBe(404);
    expect(auditOf(t.platform, 'role.delete').filter((a) => a.target_id === String(doomed))).toHaveLength(1);
  });

  it('says on the roles page, once, that a role was created, saved or deleted', async () => {
    const notice = async (res: { status: number; headers: Record<string, string> }) => {
      expect(res.status).toBe(303);
      const page = (await alice.get(res.headers.location)).text;
      expect((await alice.get('/t/alpha/roles')).text).not.toContain('class="notice flash"');
      return /<p class="notice flash" role="status">([^<]*)<\/p>/.exec(page)?.[1];
    };
    expect(await notice(await postForm(alice, '/t/alpha/roles', { name: 'Proofreader', permissions: 'content.view' }, '/t/alpha/roles/new'))).toBe(
      'The role Proofreader was created.',
    );
    const id = (t.platform.roles.listForTenant(alpha.id).find((r) => r.name === 'Proofreader') as { id: number }).id;
    expect(await notice(await postForm(alice, `/t/alpha/roles/${id}`, { name: 'Copy editor', permissions: 'content.view' }, `/t/alpha/roles/${id}`))).toBe(
      'The role Copy editor was saved.',
    );
    expect(await notice(await postForm(alice, `/t/alpha/roles/${id}/delete`, {}, `/t/alpha/roles/${id}`))).toBe('The role Copy editor was deleted.');
  });

  it.each(['one after the other', 'at once'])('answers the same new role sent twice %s (a double click) as created, making one role', async (label) => {
    const name = `Twin ${label}`;
    const send = () => createRole({ name, description: 'Both clicks', permissions: ['content.view', 'content.create'] });
    const answers = label === 'at once' ? await Promise.all([send(), send()]) : [await send(), await send()];
    expect(answers.map((res) => [res.status, res.headers.location])).toEqual([
      [303, '/t/alpha/roles'],
      [303, '/t/alpha/roles'],
    ]);
    expect(t.platform.roles.listForTenant(alpha.id).filter((r) => r.name === name)).toHaveLength(1);
    expect(auditOf(t.platform, 'role.create').filter((e) => (JSON.parse(e.after ?? '{}') as { name?: string }).name === name)).toHaveLength(1);
    expect((await alice.get('/t/alpha/roles')).text).toContain(`The role ${name} was created.`);
  });

  it('still refuses a role of the same name sent again by another member, with other fields, after a change, or long after', async () => {
    const body = { name: 'Solo', permissions: 'content.view' };
    expect((await postForm(alice, '/t/alpha/roles', body)).status).toBe(303);
    const refused = [await postForm(adam, '/t/alpha/roles', body), await postForm(alice, '/t/alpha/roles', { ...body, permissions: 'content.create' })];
    const id = (t.platform.roles.listForTenant(alpha.id).find((r) => r.name === 'Solo') as { id: number }).id;
    t.platform.db
      .connection()
      .prepare("update audit_events set created_at = created_at - 10000 where action = 'role.create' and target_id = ?")
      .run(String(id));
    refused.push(await postForm(alice, '/t/alpha/roles', body));
    for (const res of refused) {
      expect(res.status).toBe(400);
      expect(res.text).toContain('already the name of another role');
    }
    expect(t.platform.roles.listForTenant(alpha.id).filter((r) => r.name === 'Solo')).toHaveLength(1);
  });

  it('does not let an admin build a role with permissions the admin lacks', async () => {
    const before = roleCount();
    const owner = roleId(t.platform, 'owner');
    expect((await postForm(adam, '/t/alpha/roles', { name: 'Backdoor', parent_role_id: String(owner) })).status).toBe(403);
    expect((await postForm(adam, '/t/alpha/roles', { name: 'Backdoor', permissions: 'tenant.ownership.transfer' })).status).toBe(403);
    expect(roleCount()).toBe(before);
    expect((await postForm(adam, '/t/alpha/roles', { name: 'Helpers', permissions: 'team.invite' })).status).toBe(303);
  });

  it.each([
    ['an empty name', { name: '  ' }, 'Name', 'is required'],
    ['an unknown permission', { name: 'X', permissions: ['content.view', 'root.everything'] }, 'Permissions', 'unknown permission'],
    ['a parent that is not a number', { name: 'X', parent_role_id: 'editor' }, 'Parent role', 'roles offered'],
    ['a parent that does not exist', { name: 'X', parent_role_id: '999999' }, 'Parent role', 'roles offered'],
    ['the name of a predefined role', { name: 'editor' }, 'Name', 'already the name'],
    ['a name that is too long', { name: 'x'.repeat(101) }, 'Name', 'at most 100'],
  ])('answers a new role with %s with a 400 naming the field, writing nothing', async (_label, body, field, reason) => {
    const before = roleCount();
    const res = await createRole(body);
    expect(res.status).toBe(400);
    expect(res.text).toContain(`<strong>${field}</strong>`);
    expect(res.text).toContain(reason);
    expect(roleCount()).toBe(before);
  });

  it('answers an edit with bad input with a 400 naming the field, changing nothing', async () => {
    const role = makeCustomRole(t.platform, alpha, 'Steady', ['content.view']);
    for (const [body, field] of [
      [{ name: '' }, 'Name'],
      [{ name: 'Steady', permissions: 'nope' }, 'Permissions'],
      [{ name: 'Steady', parent_role_id: '-3' }, 'Parent role'],
    ] as const) {
      const res = await postForm(alice, `/t/alpha/roles/${role}`, body as Record<string, string>);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`<strong>${field}</strong>`);
    }
    expect(roleRow(role)).toMatchObject({ name: 'Steady', permissions: '["content.view"]', parent_role_id: null });
  });

  describe('an edit form opened by two people', () => {
    /** The revision the role's edit form sends back. */
    const revisionOf = (html: string, role: number) => {
      const form = new RegExp(`<form method="post" action="/t/alpha/roles/${role}">([\\s\\S]*?)</form>`).exec(html);
      const revision = form && /name="revision" value="([^"]*)"/.exec(form[1])?.[1];
      if (!revision) throw new Error('the role form sends no revision');
      return revision;
    };

    it("refuses the second save made on the form both opened (409): the first one's change stays, nothing is written, and the form shows the role as it is now", async () => {
      const role = makeCustomRole(t.platform, alpha, 'Reviewers', ['content.view']);
      const [aliceSaw, adamSaw] = (await Promise.all([alice.get(`/t/alpha/roles/${role}`), adam.get(`/t/alpha/roles/${role}`)])).map((page) =>
        revisionOf(page.text, role),
      );
      expect([aliceSaw, adamSaw]).toEqual(['1', '1']);
      expect(
        (
          await postForm(alice, `/t/alpha/roles/${role}`, {
            name: 'Reviewers',
            permissions: ['content.view', 'content.approve'],
            revision: aliceSaw,
          } as unknown as Record<string, string>)
        ).status,
      ).toBe(303);
      const before = roleRow(role);
      expect(before).toMatchObject({ permissions: '["content.view","content.approve"]', revision: 2 });
      const records = auditOf(t.platform, 'role.update').length;

      const res = await postForm(adam, `/t/alpha/roles/${role}`, { name: 'Senior reviewers', permissions: 'content.view', revision: adamSaw });

      expect(res.status).toBe(409);
      expect(roleRow(role)).toEqual(before);
      expect(auditOf(t.platform, 'role.update')).toHaveLength(records);
      expect(res.text).toContain('This role was changed since you opened it (now revision 2)');
      expect(res.text).toContain('value="Reviewers"');
      expect(res.text).toMatch(/value="content\.approve"\s+checked/);
      expect(revisionOf(res.text, role)).toBe('2');
      // Sent again from the form shown, the change is made and the other one kept.
      expect(
        (
          await postForm(adam, `/t/alpha/roles/${role}`, {
            name: 'Senior reviewers',
            permissions: ['content.view', 'content.approve'],
            revision: '2',
          } as unknown as Record<string, string>)
        ).status,
      ).toBe(303);
      expect(roleRow(role)).toMatchObject({ name: 'Senior reviewers', permissions: '["content.view","content.approve"]', revision: 3 });
    });

    it('keeps the first of two saves sent at once on the same revision and refuses the other', async () => {
      const role = makeCustomRole(t.platform, alpha, 'Racers', ['content.view']);
      const [a, b] = await Promise.all([
        postForm(alice, `/t/alpha/roles/${role}`, { name: 'Racers A', permissions: 'content.view', revision: '1' }),
        postForm(adam, `/t/alpha/roles/${role}`, { name: 'Racers B', permissions: 'content.view', revision: '1' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([303, 409]);
      expect(roleRow(role)).toMatchObject({ name: a.status === 303 ? 'Racers A' : 'Racers B', revision: 2 });
    });

    it('keeps the revision on a save that changes nothing, and takes a form without a revision as before', async () => {
      const role = makeCustomRole(t.platform, alpha, 'Quiet', ['content.view']);
      expect((await postForm(alice, `/t/alpha/roles/${role}`, { name: 'Quiet', permissions: 'content.view', revision: '1' })).status).toBe(303);
      expect(roleRow(role)?.revision).toBe(1);
      expect((await postForm(alice, `/t/alpha/roles/${role}`, { name: 'Quieter', permissions: 'content.view' })).status).toBe(303);
      expect(roleRow(role)).toMatchObject({ name: 'Quieter', revision: 2 });
    });

    describe('a double click on Save', () => {
      const CHANGE = {
        name: 'Editors plus',
        description: 'Edits and approves',
        permissions: ['content.view', 'content.approve'],
        revision: '1',
      } as unknown as Record<string, string>;
      const updatesOf = (role: number) => auditOf(t.platform, 'role.update').filter((row) => row.target_id === String(role));

      it('answers both sends of the same form as a save, one after the other, with one change recorded and the revision raised once', async () => {
        const role = makeCustomRole(t.platform, alpha, 'Editors', ['content.view']);
        const first = await postForm(alice, `/t/alpha/roles/${role}`, CHANGE);
        const second = await postForm(alice, `/t/alpha/roles/${role}`, CHANGE);

        expect([first.status, second.status]).toEqual([303, 303]);
        expect(second.headers.location).toBe(first.headers.location);
        expect(roleRow(role)).toMatchObject({ name: 'Editors plus', permissions: '["content.view","content.approve"]', revision: 2 });
        expect(updatesOf(role)).toHaveLength(1);
      });

      it('answers both sends of the same form as a save when they arrive at once, with one change recorded', async () => {
        const role = makeCustomRole(t.platform, alpha, 'Twin editors', ['content.view']);
        const change = { ...CHANGE, name: 'Twin editors plus' };
        const answers = await Promise.all([postForm(alice, `/t/alpha/roles/${role}`, change), postForm(alice, `/t/alpha/roles/${role}`, change)]);

        expect(answers.map((res) => res.status)).toEqual([303, 303]);
        expect(roleRow(role)).toMatchObject({ name: 'Twin editors plus', revision: 2 });
        expect(updatesOf(role)).toHaveLength(1);
      });

      it('still refuses (409) a form sent again on the old revision that would change a field, writing nothing', async () => {
        const role = makeCustomRole(t.platform, alpha, 'Stale editors', ['content.view']);
        expect((await postForm(alice, `/t/alpha/roles/${role}`, { ...CHANGE, name: 'Stale editors plus' })).status).toBe(303);
        const before = roleRow(role);

        const res = await postForm(alice, `/t/alpha/roles/${role}`, { ...CHANGE, name: 'Stale editors plus', permissions: 'content.view' });

        expect(res.status).toBe(409);
        expect(roleRow(role)).toEqual(before);
        expect(updatesOf(role)).toHaveLength(1);
      });
    });

    it("is not helped by the revision another workspace's role is at, and answers 404 for that role whatever the revision", async () => {
      const role = makeCustomRole(t.platform, alpha, 'Local', ['content.view']);
      expect((await postForm(alice, `/t/alpha/roles/${role}`, { name: 'Local 2', permissions: 'content.view', revision: '1' })).status).toBe(303);
      t.platform.db.connection().prepare('update roles set revision = 7 where id = ?').run(bravoRole);
      const before = roleRow(role);

      expect((await postForm(adam, `/t/alpha/roles/${role}`, { name: 'Stale', permissions: 'content.view', revision: '7' })).status).toBe(409);
      expect(roleRow(role)).toEqual(before);
      expect((await postForm(alice, `/t/alpha/roles/${bravoRole}`, { name: 'Pwned', permissions: 'content.view', revision: '7' })).status).toBe(404);
      expect(roleRow(bravoRole)).toMatchObject({ name: 'Bravo Reviewers', revision: 7 });
    });
  });

  describe('across tenants', () => {
    const bravoUnchanged = () =>
      expect(roleRow(bravoRole)).toMatchObject({ tenant_id: bravo.id, name: 'Bravo Reviewers', permissions: '["content.view","content.approve"]' });

    it.each([
      ['the roles page by slug', 'GET', '/t/bravo/roles'],
      ['a role page by slug', 'GET', '/t/bravo/roles/BRAVO'],
      ["B's role under A's URL", 'GET', '/t/alpha/roles/BRAVO'],
      ['a create by slug', 'POST', '/t/bravo/roles'],
      ['an edit by slug', 'POST', '/t/bravo/roles/BRAVO'],
      ["an edit by id under A's URL", 'POST', '/t/alpha/roles/BRAVO'],
      ['a delete by slug', 'POST', '/t/bravo/roles/BRAVO/delete'],
      ["a delete by id under A's URL", 'POST', '/t/alpha/roles/BRAVO/delete'],
    ])('answers 404 to an owner of A reaching %s, and changes nothing', async (_label, method, template) => {
      const path = template.replace('BRAVO', String(bravoRole));
      const before = roleCount();
      const res =
        method === 'GET'
          ? await alice.get(path)
          : await postForm(alice, path, { name: 'Pwned', permissions: 'roles.manage', replacement_role_id: String(roleId(t.platform, 'viewer')) });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('Bravo Reviewers');
      expect(roleCount()).toBe(before);
      bravoUnchanged();
    });

    it("makes in A a role the same member made in B moments ago under the same name, never answering with B's role", async () => {
      const aliceId = t.platform.users.findByEmail('alice@example.com')?.id ?? null;
      const theirs = makeCustomRole(t.platform, bravo, 'Mirrors', ['content.view']);
      t.platform.audit.record({ action: 'role.create', actorUserId: aliceId, tenantId: bravo.id, targetType: 'role', targetId: String(theirs) });
      expect((await postForm(alice, '/t/alpha/roles', { name: 'Mirrors', permissions: 'content.view' })).status).toBe(303);
      const ours = t.platform.roles.listForTenant(alpha.id).filter((r) => r.name === 'Mirrors' && r.tenant_id === alpha.id);
      expect(ours).toHaveLength(1);
      expect(ours[0].id).not.toBe(theirs);
      expect(roleRow(theirs)).toMatchObject({ tenant_id: bravo.id, name: 'Mirrors' });
    });

    it("answers 404 to a member of both deleting, under A's URL, B's role they just deleted in B, changing nothing", async () => {
      const dora = await makeUser(t.platform, { email: 'dora@example.com' });
      await setRole(t.platform, dora, alpha, 'owner');
      await setRole(t.platform, dora, bravo, 'owner');
      const agent = await signIn(createApp(t.platform).app, dora.email);
      const theirs = makeCustomRole(t.platform, bravo, 'Gone in B');
      const before = roleCount();
      expect((await postForm(agent, `/t/alpha/roles/${theirs}/delete`, {})).status).toBe(404);
      expect(roleRow(theirs)).toBeDefined();
      expect((await postForm(agent, `/t/bravo/roles/${theirs}/delete`, {})).status).toBe(303);
      expect((await postForm(agent, `/t/alpha/roles/${theirs}/delete`, {})).status).toBe(404);
      expect(roleCount()).toBe(before - 1);
      expect(auditOf(t.platform, 'role.delete').filter((a) => a.target_id === String(theirs))).toEqual([expect.objectContaining({ tenant_id: bravo.id })]);
      bravoUnchanged();
    });

    it("refuses B's role named in A's forms (parent, replacement) with a 400, changing nothing", async () => {
      const before = roleCount();
      const asParent = await createRole({ name: 'Smuggler', parent_role_id: String(bravoRole) });
      expect(asParent.status).toBe(400);
      expect(asParent.text).toContain('parent_role_id');
      const mine = makeCustomRole(t.platform, alpha, 'Mine');
      await setRole(t.platform, erinUser, alpha, mine);
      const asReplacement = await postForm(alice, `/t/alpha/roles/${mine}/delete`, { replacement_role_id: String(bravoRole) });
      expect(asReplacement.status).toBe(400);
      expect(asReplacement.text).toContain('replacement_role_id');
      expect(roleRow(mine)).toBeDefined();
      expect(roleKeyOf(t.platform, erinUser, alpha)).toBe(roleRow(mine)?.key);
      expect(roleCount()).toBe(before + 1);
      bravoUnchanged();
    });

    it("never offers B's roles in A's pages", async () => {
      for (const path of ['/t/alpha/roles/new', '/t/alpha/members', '/t/alpha/invitations']) {
        expect((await alice.get(path)).text).not.toContain('Bravo Reviewers');
      }
    });
  });
});
