import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn } from '../../support/http-agent';
import { auditOf } from '../../support/team';
import { sessionCount } from '../../support/accounts';
import { cliFor } from './cli-runner';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe('tenantry users', () => {
  let t: TestPlatform;
  let tenantry: ReturnType<typeof cliFor>;
  let alice: UserRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    tenantry = cliFor(t.dataDir);
    alice = await makeUser(t.platform, { email: 'alice@acme.test', name: 'Alice Archer' });
    await makeUser(t.platform, { email: 'bob@globex.test', name: 'Bob Baker' });
    await addMember(t.platform, alice, await makeTenant(t.platform, 'acme'));
  });
  afterEach(() => t.cleanup());

  it('lists users with status and workspaces, searchable, as a table or JSON', async () => {
    const run = await tenantry(['users', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^EMAIL\s+NAME\s+STATUS\s+SUPER ADMIN\s+WORKSPACES\s+LAST SEEN/);
    expect(run.stdout).toMatch(/alice@acme\.test\s+Alice Archer\s+active\s+1/);
    const json = JSON.parse((await tenantry(['users', 'list', '--search', 'baker', '--json'])).stdout);
    expect(json).toEqual([expect.objectContaining({ email: 'bob@globex.test', status: 'active', workspaces: 0, super_admin: false })]);
    expect((await tenantry(['users', 'list', '--search', 'nobody'])).stdout).toBe('No users match.\n');
  });

  it('names --search for a search too long (exit 2)', async () => {
    const run = await tenantry(['users', 'list', '--search', 'x'.repeat(10240)]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'error: --search must be at most 320 characters\n' });
  });

  it('disables an account, ending its sessions, and enables it again; both recorded as the console', async () => {
    const app = createApp(t.platform).app;
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
