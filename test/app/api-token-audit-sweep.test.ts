import request from 'supertest';
import { apiRoutes } from '../../app/api-routes';
import { createApp } from '../../app/create-app';
import { ALL_PERMISSIONS } from '../../tenant-runtime/permission-catalogue';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../control-plane/users/user-record';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { bearer, personalToken } from '../support/api-tokens';
import { roleId } from '../support/team';
import { makeItem } from '../support/content';
import { signIn } from '../support/http-agent';
import { createPlan } from '../../control-plane/plans/manage-plans';
import { CLI_OPERATOR } from '../../control-plane/audit/operator';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** The operations a token is refused by design: they serve the pages on their session (403 session_only). */
const SESSION_ONLY = new Set(['post /api/v1/context/switch']);

/** Operations that leave no audit record: an item's creation, edit and comments are kept in its own history, in the workspace's file. */
const NO_RECORD = new Set(['post /api/v1/t/:slug/items', 'patch /api/v1/t/:slug/items/:id', 'post /api/v1/t/:slug/items/:id/comments']);

/** One request of the walk: the operation it exercises (`method path`, as declared) and how to send it. */
interface Step {
  op: string;
  /** What the step needs first, made without the API (it writes no record). */
  prepare?: () => Promise<void>;
  send: () => request.Test;
}

interface AuditRow {
  id: number;
  action: string;
  api_token_id: string | null;
}

/**
 * Every operation of the API that changes something, called with a super admin's personal token
 * (who is also the workspace's owner) in an order that leaves each one something to act on: each
 * audit record a call writes must name that token (decision 023). An operation declared later
 * without a step here fails the walk, so a new route is checked as soon as it exists.
 */
describe('every audit record an API token request leaves', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let admin: UserRecord;
  let token: string;
  let tokenId: string;
  let sweep: TenantRecord;
  let editor: UserRecord;
  /** What earlier steps made, for later ones to act on. */
  const made: Record<string, string | number> = {};

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    admin = await makeUser(t.platform, { superAdmin: true });
    sweep = await makeTenant(t.platform, 'sweep');
    await addMember(t.platform, admin, sweep, 'owner');
    editor = await makeUser(t.platform);
    await addMember(t.platform, editor, sweep, 'editor');
    token = personalToken(t.platform, admin, { scopes: [...ALL_PERMISSIONS, 'admin.tenants', 'admin.users'] });
    tokenId = (t.platform.db.get<{ id: string }>('select id from api_tokens where user_id = ?', [admin.id]) as { id: string }).id;
  });
  afterAll(() => t.cleanup());

  const api = (method: 'post' | 'patch', path: string) => request(app)[method](`/api/v1${path}`).set(bearer(token));
  const item = () => `/t/sweep/items/${made.item}`;
  const membershipOf = (user: UserRecord) =>
    (t.platform.db.get<{ id: number }>('select id from memberships where user_id = ? and tenant_id = ?', [user.id, sweep.id]) as { id: number }).id;

  const steps: Step[] = [
    { op: 'post /api/v1/t/:slug/items', send: () => api('post', '/t/sweep/items').send({ title: 'Swept' }) },
    { op: 'patch /api/v1/t/:slug/items/:id', send: () => api('patch', item()).send({ title: 'Swept again' }) },
    { op: 'post /api/v1/t/:slug/items/:id/comments', send: () => api('post', `${item()}/comments`).send({ body: 'A note' }) },
    {
      op: 'post /api/v1/t/:slug/items/:id/attachments',
      send: () => api('post', `${item()}/attachments`).attach('file', PNG, { filename: 'pixel.png', contentType: 'image/png' }),
    },
    { op: 'post /api/v1/t/:slug/items/:id/submit', send: () => api('post', `${item()}/submit`).send({}) },
    { op: 'post /api/v1/t/:slug/items/:id/request-changes', send: () => api('post', `${item()}/request-changes`).send({ note: 'Shorter' }) },
    { op: 'post /api/v1/t/:slug/items/:id/resubmit', send: () => api('post', `${item()}/resubmit`).send({}) },
    { op: 'post /api/v1/t/:slug/items/:id/archive', send: () => api('post', `${item()}/archive`).send({}) },
    { op: 'post /api/v1/t/:slug/items/:id/restore', send: () => api('post', `${item()}/restore`).send({}) },
    {
      op: 'post /api/v1/t/:slug/items/:id/approve',
      // Authors may not approve their own items: the rest of the workflow acts on one someone else wrote.
      prepare: async () => {
        made.item = (await makeItem(t.platform, sweep, { status: 'in_review', createdBy: editor.id })).id;
      },
      send: () => api('post', `${item()}/approve`).send({}),
    },
    {
      op: 'post /api/v1/t/:slug/items/:id/schedule',
      send: () => api('post', `${item()}/schedule`).send({ publish_at: new Date(Date.now() + 86_400_000).toISOString() }),
    },
    { op: 'post /api/v1/t/:slug/items/:id/unschedule', send: () => api('post', `${item()}/unschedule`).send({}) },
    { op: 'post /api/v1/t/:slug/items/:id/publish', send: () => api('post', `${item()}/publish`).send({}) },
    { op: 'post /api/v1/t/:slug/items', send: () => api('post', '/t/sweep/items').send({ title: 'To delete' }) },
    { op: 'post /api/v1/t/:slug/items/:id/delete', send: () => api('post', `${item()}/delete`).send({}) },
    { op: 'patch /api/v1/t/:slug/settings', send: () => api('patch', '/t/sweep/settings').send({ display_name: 'Swept Co' }) },
    { op: 'post /api/v1/t/:slug/secrets', send: () => api('post', '/t/sweep/secrets').send({ name: 'SWEEP_KEY', value: 'sk-sweep-000000000000001234' }) },
    { op: 'post /api/v1/t/:slug/secrets/:name/delete', send: () => api('post', '/t/sweep/secrets/SWEEP_KEY/delete').send({}) },
    { op: 'post /api/v1/t/:slug/roles', send: () => api('post', '/t/sweep/roles').send({ name: 'Checkers', permissions: ['content.view'] }) },
    { op: 'patch /api/v1/t/:slug/roles/:id', send: () => api('patch', `/t/sweep/roles/${made.role}`).send({ name: 'Checkers too' }) },
    { op: 'post /api/v1/t/:slug/roles/:id/delete', send: () => api('post', `/t/sweep/roles/${made.role}/delete`).send({}) },
    {
      op: 'post /api/v1/t/:slug/members/:id/role',
      send: () => api('post', `/t/sweep/members/${membershipOf(editor)}/role`).send({ role_id: roleId(t.platform, 'viewer') }),
    },
    { op: 'post /api/v1/t/:slug/members/:id/remove', send: () => api('post', `/t/sweep/members/${membershipOf(editor)}/remove`).send({}) },
    {
      op: 'post /api/v1/t/:slug/invitations',
      send: () => api('post', '/t/sweep/invitations').send({ emails: ['swept@elsewhere.test'], role_id: roleId(t.platform, 'editor') }),
    },
    { op: 'post /api/v1/t/:slug/invitations/:id/resend', send: () => api('post', `/t/sweep/invitations/${made.invitation}/resend`).send({}) },
    { op: 'post /api/v1/t/:slug/invitations/:id/revoke', send: () => api('post', `/t/sweep/invitations/${made.invitation}/revoke`).send({}) },
    { op: 'post /api/v1/t/:slug/settings/deletion-request', send: () => api('post', '/t/sweep/settings/deletion-request').send({ confirm: 'sweep' }) },
    { op: 'post /api/v1/t/:slug/settings/deletion-request/withdraw', send: () => api('post', '/t/sweep/settings/deletion-request/withdraw').send({}) },
    { op: 'post /api/v1/t/:slug/settings/deletion-request', send: () => api('post', '/t/sweep/settings/deletion-request').send({ confirm: 'sweep' }) },
    { op: 'post /api/v1/admin/tenants/:id/decline-deletion', send: () => api('post', '/admin/tenants/sweep/decline-deletion').send({ note: 'Not yet' }) },
    { op: 'post /api/v1/admin/tenants', send: () => api('post', '/admin/tenants').send({ name: 'Made', slug: 'made', owner_email: 'first@elsewhere.test' }) },
    { op: 'post /api/v1/admin/tenants/:id/owners', send: () => api('post', '/admin/tenants/made/owners').send({ email: 'second@elsewhere.test' }) },
    { op: 'post /api/v1/admin/tenants/:id/owners', send: () => api('post', '/admin/tenants/made/owners').send({ email: editor.email }) },
    { op: 'post /api/v1/admin/tenants/:id/plan', send: () => api('post', '/admin/tenants/made/plan').send({ plan: made.plan }) },
    { op: 'post /api/v1/admin/tenants/:id/overrides', send: () => api('post', '/admin/tenants/made/overrides').send({ limits: { members: 40 } }) },
    { op: 'post /api/v1/admin/tenants/:id/overrides/clear', send: () => api('post', '/admin/tenants/made/overrides/clear').send({ keys: ['members'] }) },
    { op: 'patch /api/v1/admin/tenants/:id', send: () => api('patch', '/admin/tenants/made').send({ name: 'Made Again' }) },
    { op: 'post /api/v1/admin/tenants/:id/backups', send: () => api('post', '/admin/tenants/made/backups').send({}) },
    { op: 'post /api/v1/admin/tenants/:id/restore', send: () => api('post', '/admin/tenants/made/restore').send({ backup: made.backup }) },
    { op: 'post /api/v1/admin/tenants/:id/suspend', send: () => api('post', '/admin/tenants/made/suspend').send({ reason: 'Unpaid' }) },
    { op: 'post /api/v1/admin/tenants/:id/resume', send: () => api('post', '/admin/tenants/made/resume').send({}) },
    { op: 'post /api/v1/admin/tenants/:id/archive', send: () => api('post', '/admin/tenants/made/archive').send({ confirm: 'made' }) },
    { op: 'post /api/v1/admin/tenants/:id/restore', send: () => api('post', '/admin/tenants/made/restore').send({}) },
    { op: 'post /api/v1/admin/tenants/:id/archive', send: () => api('post', '/admin/tenants/made/archive').send({ confirm: 'made' }) },
    { op: 'post /api/v1/admin/tenants/:id/purge', send: () => api('post', '/admin/tenants/made/purge').send({ confirm: 'made' }) },
    { op: 'post /api/v1/admin/users/:id/disable', send: () => api('post', `/admin/users/${editor.id}/disable`).send({}) },
    { op: 'post /api/v1/admin/users/:id/enable', send: () => api('post', `/admin/users/${editor.id}/enable`).send({}) },
  ];

  /** What a step's answer names for the steps after it. */
  function remember(step: Step, body: { data?: Record<string, unknown> & { id?: string | number } }) {
    if (step.op === 'post /api/v1/t/:slug/items') made.item = body.data?.id as number;
    if (step.op === 'post /api/v1/t/:slug/roles') made.role = body.data?.id as number;
    if (step.op === 'post /api/v1/admin/tenants/:id/backups') made.backup = body.data?.id as string;
    if (step.op === 'post /api/v1/t/:slug/invitations') made.invitation = (body.data as unknown as Array<{ id: string }>)[0].id;
  }

  it('has a step for every operation that changes something, so a new one is walked too', () => {
    const declared = apiRoutes(t.platform, { destroyAllForUser: () => 0 })
      .catalogue.routes.filter((r) => r.method !== 'get')
      .map((r) => `${r.method} ${r.path}`)
      .filter((op) => !SESSION_ONLY.has(op));
    expect([...new Set(steps.map((s) => s.op))].sort()).toEqual([...new Set(declared)].sort());
  });

  it('names the token: each call writes at least one record, and every record it writes carries the token id', async () => {
    made.plan = createPlan(t.platform, CLI_OPERATOR, { key: 'swept', name: 'Swept' }, 'partial').key;
    const lastId = () => t.platform.db.get<{ id: number }>('select coalesce(max(id), 0) as id from audit_events')?.id ?? 0;
    const problems: string[] = [];
    for (const step of steps) {
      await step.prepare?.();
      const before = lastId();
      const res = await step.send();
      if (res.status >= 300) {
        problems.push(`${step.op}: answered ${res.status} ${JSON.stringify(res.body)}`);
        continue;
      }
      remember(step, res.body);
      const written = t.platform.db.all<AuditRow>('select id, action, api_token_id from audit_events where id > ? order by id', [before]);
      if (!written.length && !NO_RECORD.has(step.op)) problems.push(`${step.op}: wrote no audit record`);
      for (const row of written) if (row.api_token_id !== tokenId) problems.push(`${step.op}: ${row.action} names token ${row.api_token_id}`);
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it("shows the token by its name and hint, never its secret, on the platform's trail beside a lifecycle step's record", async () => {
    const named = t.platform.db.get<{ name: string; hint: string }>('select name, hint from api_tokens where id = ?', [tokenId]) as {
      name: string;
      hint: string;
    };
    const agent = await signIn(app, admin.email);
    const page = await agent.get('/admin/audit?action=tenant.suspend');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`via API token ${named.name} (${named.hint})`);
    expect(page.text).not.toContain(token);
  });
});
