import crypto from 'node:crypto';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { createApp } from '../../app/create-app';
import { makeTenant, makeUser } from '../support/factories';
import { postForm, signIn, type Agent } from '../support/http-agent';
import { changeCount, invite, makeCustomRole, roleId, setRole } from '../support/team';
import { PREDEFINED_ROLE_PERMISSIONS } from '../../control-plane/roles/predefined-roles';
import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../control-plane/users/user-record';

const ROLES = ['owner', 'admin', 'approver', 'editor', 'viewer'] as const;
type RoleKey = (typeof ROLES)[number];

interface Ctx {
  t: TestPlatform;
  tenant: TenantRecord;
}

interface RouteCase {
  method: 'GET' | 'POST';
  /** Path under /t/acme, built with fresh fixtures so every allowed request can succeed. */
  path: (ctx: Ctx) => Promise<string> | string;
  permission: Permission;
  body?: () => Record<string, string>;
  okStatus: number;
}

const unique = () => crypto.randomBytes(4).toString('hex');

async function subjectMember(ctx: Ctx): Promise<number> {
  const user = await makeUser(ctx.t.platform);
  await setRole(ctx.t.platform, user, ctx.tenant, 'viewer');
  return ctx.t.platform.memberships.findMemberOfUser(user.id, ctx.tenant.id)?.membership_id ?? 0;
}

/** Every permission-gated route of the roles, members and invitations pages. */
const ROUTES: RouteCase[] = [
  { method: 'GET', path: () => '/roles', permission: 'roles.manage', okStatus: 200 },
  { method: 'GET', path: () => '/roles/new', permission: 'roles.manage', okStatus: 200 },
  { method: 'POST', path: () => '/roles', permission: 'roles.manage', body: () => ({ name: `Role ${unique()}`, permissions: 'content.view' }), okStatus: 303 },
  {
    method: 'GET',
    path: ({ t, tenant }) => `/roles/${makeCustomRole(t.platform, tenant, `Shown ${unique()}`, ['content.view'])}`,
    permission: 'roles.manage',
    okStatus: 200,
  },
  {
    method: 'POST',
    path: ({ t, tenant }) => `/roles/${makeCustomRole(t.platform, tenant, `Edited ${unique()}`, ['content.view'])}`,
    permission: 'roles.manage',
    body: () => ({ name: `Renamed ${unique()}`, permissions: 'team.view' }),
    okStatus: 303,
  },
  {
    method: 'POST',
    path: ({ t, tenant }) => `/roles/${makeCustomRole(t.platform, tenant, `Doomed ${unique()}`)}/delete`,
    permission: 'roles.manage',
    body: () => ({}),
    okStatus: 303,
  },
  { method: 'GET', path: () => '/members', permission: 'team.view', okStatus: 200 },
  {
    method: 'POST',
    path: async (ctx) => `/members/${await subjectMember(ctx)}/role`,
    permission: 'team.manage',
    body: () => ({ role_id: 'EDITOR' }),
    okStatus: 303,
  },
  {
    method: 'POST',
    path: async (ctx) => `/members/${await subjectMember(ctx)}/remove`,
    permission: 'team.manage',
    body: () => ({ confirmed: 'yes' }),
    okStatus: 303,
  },
  {
    method: 'POST',
    path: async (ctx) => `/members/${await subjectMember(ctx)}/transfer-ownership`,
    permission: 'tenant.ownership.transfer',
    body: () => ({ confirmed: 'yes' }),
    okStatus: 303,
  },
  { method: 'GET', path: () => '/invitations', permission: 'team.invite', okStatus: 200 },
  {
    method: 'POST',
    path: () => '/invitations',
    permission: 'team.invite',
    body: () => ({ emails: `new-${unique()}@example.com`, role_id: 'VIEWER' }),
    okStatus: 303,
  },
  {
    method: 'POST',
    path: ({ t, tenant }) => `/invitations/${invite(t.platform, tenant, `re-${unique()}@example.com`).id}/resend`,
    permission: 'team.invite',
    body: () => ({}),
    okStatus: 303,
  },
  {
    method: 'POST',
    path: ({ t, tenant }) => `/invitations/${invite(t.platform, tenant, `rv-${unique()}@example.com`).id}/revoke`,
    permission: 'team.invite',
    body: () => ({ confirmed: 'yes' }),
    okStatus: 303,
  },
];

const PAIRS = ROLES.flatMap((role) => ROUTES.map((route) => ({ role, route, allowed: PREDEFINED_ROLE_PERMISSIONS[role].includes(route.permission) })));

describe('each predefined role against each team route', () => {
  const ctx = {} as Ctx;
  const agents = {} as Record<RoleKey, Agent>;
  const users = {} as Record<RoleKey, UserRecord>;

  beforeAll(async () => {
    ctx.t = await createTestPlatform();
    const { app } = createApp(ctx.t.platform);
    ctx.tenant = await makeTenant(ctx.t.platform, 'acme');
    for (const role of ROLES) {
      users[role] = await makeUser(ctx.t.platform, { email: `${role}@example.com` });
      await setRole(ctx.t.platform, users[role], ctx.tenant, role);
      agents[role] = await signIn(app, users[role].email);
    }
  });
  afterAll(() => ctx.t.cleanup());

  afterEach(async () => {
    // A transfer makes the owner an admin: put every role back for the next pair.
    for (const role of ROLES) await setRole(ctx.t.platform, users[role], ctx.tenant, role);
  });

  it('covers 14 routes for 5 roles: 70 pairs, of which the viewer may use only the member list', () => {
    expect(PAIRS).toHaveLength(70);
    expect(PAIRS.filter((p) => p.role === 'viewer' && p.allowed).map((p) => p.route.path(ctx))).toEqual(['/members']);
    expect(PAIRS.filter((p) => p.role === 'owner').every((p) => p.allowed)).toBe(true);
  });

  it.each(PAIRS.map((p) => [p.role, p.route.method, p.route.permission, p.allowed ? 'allowed' : 'refused', p] as const))(
    '%s: %s (needs %s) is %s',
    async (role, method, _permission, _verdict, { route, allowed }) => {
      const path = `/t/acme${await route.path(ctx)}`;
      const body = Object.fromEntries(
        Object.entries(route.body?.() ?? {}).map(([k, v]) => [
          k,
          v === 'EDITOR' ? String(roleId(ctx.t.platform, 'editor')) : v === 'VIEWER' ? String(roleId(ctx.t.platform, 'viewer')) : v,
        ]),
      );
      const changesBefore = changeCount(ctx.t.platform);
      const res = method === 'GET' ? await agents[role].get(path) : await postForm(agents[role], path, body);
      expect(res.status).toBe(allowed ? route.okStatus : 403);
      if (method === 'POST') expect(changeCount(ctx.t.platform) > changesBefore).toBe(allowed);
    },
  );
});
