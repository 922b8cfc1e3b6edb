import fs from 'node:fs';
import crypto from 'node:crypto';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { PREDEFINED_ROLE_PERMISSIONS } from '../../../control-plane/roles/predefined-roles';
import type { Permission } from '../../../tenant-runtime/permission-catalogue';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { SecretBox } from '../../../core/crypto/secret-box';
import { SecretRepository } from '../../../workspace/secrets/secret-repository';
import { TenantFileStore } from '../../../workspace/files/tenant-file-store';
import { saveLogo } from '../../../workspace/settings/save-logo';
import { uploadAttachment } from '../../../workspace/files/upload-attachment';
import { FIXTURES, seedItem, uploadFile, withTenantDb } from '../files/file-fixtures';

const ROLES = ['owner', 'admin', 'approver', 'editor', 'viewer'] as const;
type RoleKey = (typeof ROLES)[number];

interface Ctx {
  t: TestPlatform;
  tenant: TenantRecord;
}

interface RouteCase {
  method: 'GET' | 'POST' | 'UPLOAD';
  /** Path under /t/acme, built with fresh fixtures so every allowed request can succeed. */
  path: (ctx: Ctx) => Promise<string> | string;
  permission: Permission;
  body?: () => Record<string, string>;
  upload?: { field: string; bytes: Buffer; name: string; type: string };
  okStatus: number;
}

const unique = () => crypto.randomBytes(4).toString('hex');
const store = (ctx: Ctx) => TenantFileStore.forTenant(ctx.t.dataDir, ctx.tenant.id);

async function ensureLogo(ctx: Ctx): Promise<void> {
  const lease = await ctx.t.platform.router.acquire(ctx.tenant.id);
  try {
    await saveLogo(lease.db, store(ctx), { originalName: 'logo.png', buffer: FIXTURES.png, size: FIXTURES.png.length }, () => undefined);
  } finally {
    lease.release();
  }
}

async function seedSecret(ctx: Ctx): Promise<string> {
  const name = `KEY_${unique()}`;
  await withTenantDb(ctx.t.platform, ctx.tenant, (db) =>
    new SecretRepository(db).save(new SecretBox(ctx.t.config.secretsKey), name, 'value-0123456789abcdef', null),
  );
  return name;
}

async function seedAttachment(ctx: Ctx): Promise<string> {
  const itemId = await seedItem(ctx.t.platform, ctx.tenant, `Item ${unique()}`);
  const lease = await ctx.t.platform.router.acquire(ctx.tenant.id);
  try {
    return (
      await uploadAttachment(
        lease.db,
        store(ctx),
        itemId,
        { originalName: 'a.txt', buffer: FIXTURES.text, size: FIXTURES.text.length },
        { id: null, name: 'seed' },
      )
    ).row.id;
  } finally {
    lease.release();
  }
}

/** Everything a request could change: settings, secrets, attachment rows and the files folder. */
async function stateOf(ctx: Ctx): Promise<string> {
  const rows = await withTenantDb(ctx.t.platform, ctx.tenant, (db) => ({
    settings: db.all('select key, value from settings order by key'),
    secrets: db.all('select name, hint, updated_at from secrets order by name'),
    attachments: db.all('select id from attachments order by id'),
  }));
  return JSON.stringify({ ...rows, files: fs.readdirSync(store(ctx).dir).sort() });
}

/** Every route of the settings, secrets, logo and file pages. */
const ROUTES: RouteCase[] = [
  { method: 'GET', path: () => '/settings', permission: 'tenant.settings.view', okStatus: 200 },
  {
    method: 'POST',
    path: () => '/settings',
    permission: 'tenant.settings.edit',
    body: () => ({ display_name: `Acme ${unique()}`, accent_color: '#112233', time_zone: 'UTC', language: 'en', storage_quota_mb: '' }),
    okStatus: 303,
  },
  { method: 'GET', path: async (ctx) => (await ensureLogo(ctx), '/settings/logo'), permission: 'tenant.settings.view', okStatus: 200 },
  {
    method: 'UPLOAD',
    path: () => '/settings/logo',
    permission: 'tenant.settings.edit',
    upload: { field: 'logo', bytes: FIXTURES.jpeg, name: 'logo.jpg', type: 'image/jpeg' },
    okStatus: 303,
  },
  {
    method: 'POST',
    path: async (ctx) => (await ensureLogo(ctx), '/settings/logo/delete'),
    permission: 'tenant.settings.edit',
    body: () => ({ confirmed: 'yes' }),
    okStatus: 303,
  },
  {
    method: 'POST',
    path: () => '/settings/secrets',
    permission: 'tenant.settings.edit',
    body: () => ({ secret_name: `NEW_${unique()}`, secret_value: 'sk-0123456789abcdefghij' }),
    okStatus: 303,
  },
  {
    method: 'POST',
    path: async (ctx) => `/settings/secrets/${await seedSecret(ctx)}/delete`,
    permission: 'tenant.settings.edit',
    body: () => ({ confirmed: 'yes' }),
    okStatus: 303,
  },
  {
    method: 'UPLOAD',
    path: async (ctx) => `/items/${await seedItem(ctx.t.platform, ctx.tenant, `Item ${unique()}`)}/attachments`,
    permission: 'content.edit',
    upload: { field: 'file', bytes: FIXTURES.pdf, name: 'brief.pdf', type: 'application/pdf' },
    okStatus: 303,
  },
  { method: 'GET', path: async (ctx) => `/files/${await seedAttachment(ctx)}`, permission: 'content.view', okStatus: 200 },
  {
    method: 'POST',
    path: async (ctx) => `/files/${await seedAttachment(ctx)}/delete`,
    permission: 'content.edit',
    body: () => ({ confirmed: 'yes' }),
    okStatus: 303,
  },
];

const PAIRS = ROLES.flatMap((role) => ROUTES.map((route) => ({ role, route, allowed: PREDEFINED_ROLE_PERMISSIONS[role].includes(route.permission) })));

describe('each predefined role against each settings and file route', () => {
  const ctx = {} as Ctx;
  const agents = {} as Record<RoleKey, Agent>;

  beforeAll(async () => {
    ctx.t = await createTestPlatform();
    const { app } = createApp(ctx.t.platform);
    ctx.tenant = await makeTenant(ctx.t.platform, 'acme');
    for (const role of ROLES) {
      const user = await makeUser(ctx.t.platform, { email: `${role}@example.com` });
      await addMember(ctx.t.platform, user, ctx.tenant, role);
      agents[role] = await signIn(app, user.email);
    }
  });
  afterAll(() => ctx.t.cleanup());

  it('covers 10 routes for 5 roles: approvers and viewers may only read', () => {
    expect(PAIRS).toHaveLength(50);
    for (const role of ['approver', 'viewer'] as const) {
      expect(PAIRS.filter((p) => p.role === role && p.allowed).map((p) => p.route.permission)).toEqual([
        'tenant.settings.view',
        'tenant.settings.view',
        'content.view',
      ]);
    }
    expect(PAIRS.filter((p) => p.role === 'editor' && p.allowed)).toHaveLength(5);
    expect(PAIRS.filter((p) => p.role === 'owner' || p.role === 'admin').every((p) => p.allowed)).toBe(true);
  });

  it.each(PAIRS.map((p) => [p.role, p.route.method, p.route.permission, p.allowed ? 'allowed' : 'refused', p] as const))(
    '%s: %s (needs %s) is %s',
    async (role, method, _permission, _verdict, { route, allowed }) => {
      const path = `/t/acme${await route.path(ctx)}`;
      const before = await stateOf(ctx);
      const agent = agents[role];
      const res =
        method === 'GET'
          ? await agent.get(path)
          : method === 'UPLOAD'
            ? await uploadFile(agent, path, route.upload!.field, route.upload!.bytes, route.upload!.name, route.upload!.type)
            : await postForm(agent, path, route.body?.() ?? {});
      expect(res.status).toBe(allowed ? route.okStatus : 403);
      if (method !== 'GET') expect((await stateOf(ctx)) !== before).toBe(allowed);
    },
  );
});
