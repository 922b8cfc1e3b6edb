import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import type { Express } from 'express';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, signIn } from '../../support/http-agent';
import { runCliChild } from '../../support/child-process';
import { invitationRow, invite, linkPath, makeCustomRole, roleId, setRole } from '../../support/team';
import { setTenantOverrides } from '../../../control-plane/plans/manage-plans';
import { CLI_OPERATOR } from '../../../control-plane/audit/operator';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe("the access cache's permissions", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it("resolve a member's custom role through its parents, once, until roles or memberships change", async () => {
    const tenant = await makeTenant(t.platform, 'acme');
    const user = await makeUser(t.platform);
    const role = makeCustomRole(t.platform, tenant, 'Reviewer plus', ['audit.view'], roleId(t.platform, 'approver'));
    await setRole(t.platform, user, tenant, role);
    const membership = t.platform.access.membership(user.id, tenant.id);
    expect(membership).toBeDefined();
    const first = t.platform.access.permissionsOf(membership!);
    expect(first.has('audit.view')).toBe(true);
    expect(first.has('content.approve')).toBe(true);
    expect(first.has('content.edit')).toBe(false);
    expect(t.platform.access.permissionsOf(membership!)).toBe(first);

    // A write past the repository is not seen (the request path asks the database nothing)...
    t.platform.db.connection().prepare('update roles set permissions = ? where id = ?').run('["usage.view"]', role);
    expect(t.platform.access.permissionsOf(membership!).has('audit.view')).toBe(true);
    // ...and is seen at once after the repository's next change (it tells the cache itself).
    t.platform.roles.updateCustom(role, tenant.id, {
      name: 'Reviewer plus',
      description: '',
      parentRoleId: roleId(t.platform, 'approver'),
      permissions: ['usage.view'],
    });
    const after = t.platform.access.permissionsOf(t.platform.access.membership(user.id, tenant.id)!);
    expect(after.has('audit.view')).toBe(false);
    expect(after.has('usage.view')).toBe(true);
    expect(after.has('content.approve')).toBe(true);
  });
});

/** The server in this process, `tenantry` in a child process on the same data dir, as an operator runs it. */
describe('the access cache under the write lock, beside a CLI process', () => {
  jest.setTimeout(60_000);
  let t: TestPlatform;
  let app: Express;
  let acme: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform, { tokenEndpointLimit: 1000 }).app;
    acme = await makeTenant(t.platform, 'acme');
    await addMember(t.platform, await makeUser(t.platform, { email: 'owner@acme.test' }), acme, 'owner');
    setTenantOverrides(t.platform, CLI_OPERATOR, acme, { limit_members: '10' }, 'merge');
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  it('sees a members limit the CLI lowered a moment before: an invitation accepted in the same second is refused, and nobody joins', async () => {
    await makeUser(t.platform, { email: 'alice@example.com' });
    const alice = await signIn(app, 'alice@example.com');
    const created = invite(t.platform, acme, 'alice@example.com');
    const _csrf = await csrfFrom(alice, linkPath(created.url));
    // The server's last look at the control plane, and everything after it, in one second.
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now);
    expect(t.platform.planBook.entitlementsOf(acme.id).limits.members).toBe(10);

    const run = await runCliChild(['tenants', 'set-limits', 'acme', '--limit', 'members=1'], { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const res = await alice.post(linkPath(created.url)).type('form').send({ _csrf });

    expect(res.status).toBe(403);
    expect(t.platform.memberships.listMembers(acme.id).map((m) => m.email)).toEqual(['owner@acme.test']);
    expect(invitationRow(t.platform, created.id)?.state).toBe('pending');
  });
});

describe("the access cache's look for another process's changes, when the clock is set back", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());
  afterEach(() => jest.restoreAllMocks());

  it('still looks a second later: a tenant another process suspended is seen as suspended, not an hour later', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    expect(t.platform.access.tenantBySlug('acme')?.status).toBe('active');
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() - 3600_000);
    const other = new BetterSqlite3(path.join(t.dataDir, 'platform.sqlite'));
    try {
      other.pragma('busy_timeout = 5000');
      other.prepare("update tenants set status = 'suspended' where id = ?").run(acme.id);
    } finally {
      other.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(t.platform.access.tenantBySlug('acme')?.status).toBe('suspended');
  });
});
