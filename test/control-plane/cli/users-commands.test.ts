import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { signIn } from '../../support/http-agent';
import { auditOf } from '../../support/team';
import { sessionCount } from '../../support/accounts';
import { cliTestPlatform } from '../../support/cli-runner';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe('tenantry users', () => {
  const { t, tenantry } = cliTestPlatform();
  let alice: UserRecord;
  beforeEach(async () => {
    alice = await makeUser(t.platform, { email: 'alice@acme.test', name: 'Alice Archer' });
    await makeUser(t.platform, { email: 'bob@globex.test', name: 'Bob Baker' });
    await addMember(t.platform, alice, await makeTenant(t.platform, 'acme'));
  });

  it('lists users with status and workspaces, searchable, as a table or JSON', async () => {
    const run = await tenantry(['users', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^EMAIL\s+NAME\s+STATUS\s+SUPER ADMIN\s+WORKSPACES\s+LAST SEEN/);
    expect(run.stdout).toMatch(/alice@acme\.test\s+Alice Archer\s+active\s+1/);
    const json = JSON.parse((await tenantry(['users', 'list', '--search', 'baker', '--json'])).stdout);
    expect(json).toEqual([expect.objectContaining({ email: 'bob@globex.test', status: 'active', workspaces: 0, super_admin: false })]);
    expect((await tenantry(['users', 'list', '--search', 'nobody'])).stdout).toBe('No users match.\n');
  });

  it('shows when a user was last seen as day, minute and UTC in the table, and in ISO in JSON', async () => {
    await signIn(createApp(t.platform).app, alice.email);
    t.platform.db
      .connection()
      .prepare('update sessions set last_seen_at = ? where user_id = ?')
      .run(Date.UTC(2025, 2, 1, 9, 30, 45), alice.id);

    const table = await tenantry(['users', 'list', '--search', 'alice']);
    const json = JSON.parse((await tenantry(['users', 'list', '--search', 'alice', '--json'])).stdout);

    expect(table.stdout).toMatch(/alice@acme\.test\s+Alice Archer\s+active\s+1\s+2025-03-01 09:30 UTC\n/);
    expect(json).toEqual([expect.objectContaining({ email: 'alice@acme.test', last_seen_at: '2025-03-01T09:30:45.000Z' })]);
  });

  describe('with more users than the table shows at a time', () => {
    // 1,203 users in all (alice and bob among them): pages of 500 are 500, 500 and 203.
    beforeEach(async () => {
      for (let i = 0; i < 1201; i++) await makeUser(t.platform, { email: `member-${String(i).padStart(4, '0')}@fleet.test` });
    });

    it('prints every user as JSON, and says on stderr when a --page of it is not every user', async () => {
      const all = await tenantry(['users', 'list', '--json']);
      expect(all.code).toBe(0);
      expect(JSON.parse(all.stdout)).toHaveLength(1203);
      expect(all.stderr).toBe('');

      const second = await tenantry(['users', 'list', '--json', '--page', '2']);
      expect(second.code).toBe(0);
      const rows = JSON.parse(second.stdout) as Array<{ email: string }>;
      expect(rows).toHaveLength(500);
      expect(rows[0].email).toBe('member-0498@fleet.test');
      expect(second.stderr).toBe('(the JSON holds users 501-1000 of 1203; the next: --page 3, every user: --all)\n');
      expect(JSON.parse((await tenantry(['users', 'list', '--json', '--page', '3'])).stdout)).toHaveLength(203);
    });

    it('shows 500 in the table, says how many there are and how to see the rest; --all shows every one', async () => {
      const first = await tenantry(['users', 'list']);
      expect(first.stdout.trim().split('\n')).toHaveLength(1 + 500 + 1);
      expect(first.stdout).toContain('(users 1-500 of 1203; the next: --page 2, every user: --all; or narrow the list with --search or --status)\n');
      const last = await tenantry(['users', 'list', '--page', '3']);
      expect(last.stdout).toMatch(/\(users 1001-1203 of 1203; or narrow the list with --search or --status\)\n$/);
      expect((await tenantry(['users', 'list', '--all'])).stdout.trim().split('\n')).toHaveLength(1 + 1203);
      expect((await tenantry(['users', 'list', '--page', '4'])).stdout).toBe('No users on page 4 (1203 users, 500 a page).\n');
    });
  });

  it.each([
    [['users', 'list', '--page', '0'], '--page must be a page number'],
    [['users', 'list', '--page', 'two'], '--page must be a page number'],
    [['users', 'list', '--page', '2', '--all'], "option '--all' cannot be used with option '--page <n>'"],
  ])('refuses %j with exit code 2 and says why', async (args, message) => {
    const run = await tenantry(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('names --search for a search too long (exit 2)', async () => {
    const run = await tenantry(['users', 'list', '--search', 'x'.repeat(10240)]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'error: --search must be at most 320 characters\n' });
  });

  it('disables an account, ending its sessions, and enables it again; both recorded as the console', async () => {
    const app = createApp(t.platform).app;
    // Alice owns acme; a second active owner there lets her be disabled without --force.
    await addMember(t.platform, await makeUser(t.platform, { email: 'carol@acme.test' }), t.platform.tenants.findBySlug('acme') as TenantRecord, 'owner');
    const browser = await signIn(app, alice.email);
    const run = await tenantry(['users', 'disable', 'ALICE@acme.test']);
    expect(run).toMatchObject({ code: 0, stdout: 'alice@acme.test is now disabled. 1 session(s) ended.\n' });
    expect(sessionCount(t.platform, alice.id)).toBe(0);
    expect((await browser.get('/t/acme')).status).toBe(302);
    expect(auditOf(t.platform, 'user.disable')).toMatchObject([{ actor_user_id: null, target_id: alice.id }]);
    expect((await tenantry(['users', 'disable', 'alice@acme.test'])).stdout).toBe('alice@acme.test is already disabled.\n');
    expect((await tenantry(['users', 'enable', 'alice@acme.test'])).code).toBe(0);
    expect(t.platform.users.findById(alice.id)?.status).toBe('active');
  });

  it("refuses to disable a workspace's only active owner, one line per workspace, and changes nothing", async () => {
    await addMember(t.platform, alice, await makeTenant(t.platform, 'beta', 'Beta Works'));
    await addMember(t.platform, alice, await makeTenant(t.platform, 'gamma'), 'editor');
    const app = createApp(t.platform).app;
    const browser = await signIn(app, alice.email);
    const run = await tenantry(['users', 'disable', 'alice@acme.test']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'error: alice@acme.test is the only active owner of these workspaces; disabling the account leaves them without an owner who can act:',
        '  acme (acme)',
        '  beta (Beta Works)',
        'Nothing was changed. Make someone else owner there first, or add --force to disable it anyway.',
        '',
      ].join('\n'),
    });
    expect(t.platform.users.findById(alice.id)?.status).toBe('active');
    expect(sessionCount(t.platform, alice.id)).toBe(1);
    expect((await browser.get('/t/acme')).status).toBe(200);
    expect(auditOf(t.platform, 'user.disable')).toEqual([]);
  });

  it('disables the only active owner with --force, warning which workspaces have no active owner now', async () => {
    const run = await tenantry(['users', 'disable', 'alice@acme.test', '--force']);
    expect(run).toEqual({ code: 0, stdout: 'alice@acme.test is now disabled. 0 session(s) ended.\n', stderr: 'warning: acme now has no active owner.\n' });
    expect(t.platform.users.findById(alice.id)?.status).toBe('disabled');
    expect(JSON.parse(auditOf(t.platform, 'user.disable')[0].after ?? '{}')).toMatchObject({ leftWithoutOwner: ['acme'] });
  });

  it('signs an account out everywhere', async () => {
    const app = createApp(t.platform).app;
    await signIn(app, alice.email);
    await signIn(app, alice.email);
    const run = await tenantry(['users', 'sign-out', 'alice@acme.test']);
    expect(run).toMatchObject({ code: 0, stdout: 'alice@acme.test: 2 session(s) ended.\n' });
    expect(sessionCount(t.platform, alice.id)).toBe(0);
  });

  it('refuses the last active super admin', async () => {
    await makeUser(t.platform, { email: 'root@example.com', superAdmin: true });
    const run = await tenantry(['users', 'disable', 'root@example.com']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('last active super admin');
  });

  it.each([
    [['users', 'disable', 'nobody@example.com'], 2, 'No user with email "nobody@example.com"'],
    [['users', 'enable', 'not-an-email'], 2, 'email must be a valid email address'],
    [['users', 'list', '--status', 'gone'], 2, 'Allowed choices are active, disabled'],
    [['users', 'sign-out'], 2, "missing required argument 'email'"],
  ])('refuses %j with exit code %i and says why', async (args, code, message) => {
    const run = await tenantry(args);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(message);
  });
});
