import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { makeItem, tenantContent } from '../../support/content';
import { auditOf } from '../../support/team';
import { accountsSnapshot, fieldsOf, submitFrom } from '../../support/accounts';
import { suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

const REASON = 'Ticket 815: export looks empty';

describe('break-glass access', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let root: UserRecord;
  let alice: UserRecord;
  let acme: TenantRecord;
  let globex: TenantRecord;
  let admin: Agent;

  const post = (who: Agent, path: string, body: Record<string, string> = {}) => submitFrom(who, '/tenants', path, body);
  const enter = (who: Agent, slug: string, reason = REASON) => post(who, '/admin/break-glass', { tenant: slug, reason });
  const grants = () => t.platform.db.connection().prepare('select * from access_grants order by id').all() as Array<Record<string, unknown>>;

  beforeEach(async () => {
    t = await createTestPlatform({ BREAK_GLASS_MINUTES: '15' });
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    globex = await makeTenant(t.platform, 'globex', 'Globex Corp');
    root = await makeUser(t.platform, { superAdmin: true, email: 'root@example.com', name: 'Root Admin' });
    alice = await makeUser(t.platform, { email: 'alice@acme.test' });
    await addMember(t.platform, alice, acme, 'owner');
    await makeItem(t.platform, acme, { title: 'Acme launch plan' });
    await makeItem(t.platform, globex, { title: 'Globex secret roadmap' });
    admin = await signIn(app, root.email);
  });
  afterEach(() => t.cleanup());

  it('keeps a tenant closed to a super admin who is no member until they enter it', async () => {
    expect((await admin.get('/t/acme')).status).toBe(404);
  });

  it('opens the tenant read-only for BREAK_GLASS_MINUTES, with the reason in the tenant’s trail and a banner on every page', async () => {
    const res = await enter(admin, 'acme');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/t/acme');
    const home = await admin.get('/t/acme/items');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Acme launch plan');
    expect(home.text).toContain('Your role: Break-glass (read-only)');
    expect(home.text).toContain('Break-glass access to Acme Studio');
    expect((await admin.get('/admin/users')).text).toContain('Break-glass access to Acme Studio');
    expect((await admin.get('/t/acme/audit')).status).toBe(200);
    const [grant] = grants();
    expect(Number(grant.expires_at) - Number(grant.created_at)).toBeGreaterThanOrEqual(15 * 60_000 - 50);
    expect(Number(grant.expires_at) - Number(grant.created_at)).toBeLessThanOrEqual(15 * 60_000 + 50);
    const [entry] = auditOf(t.platform, 'break_glass.start');
    expect(entry).toMatchObject({ actor_user_id: root.id, tenant_id: acme.id, target_id: acme.id });
    expect(JSON.parse(entry.after ?? '{}')).toMatchObject({ reason: REASON, access: 'read-only' });
    // The tenant's owner sees it in their own trail; the platform trail lists it too.
    const owner = await signIn(app, alice.email);
    expect((await owner.get('/t/acme/audit?action=break_glass.start')).text).toContain(REASON);
    expect((await admin.get('/admin/audit?action=break_glass.start')).text).toContain(REASON);
  });

  it('says until when, in UTC with its day, on its console page and in the banner of every page', async () => {
    await enter(admin, 'acme');
    const until = Date.now() + 10 * 60_000;
    t.platform.db.connection().prepare('update access_grants set expires_at = ?').run(until);
    const shown = new Date(until).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

    expect((await admin.get('/admin/break-glass')).text).toContain(`<td>${shown}</td>`);
    expect((await admin.get('/t/acme/items')).text).toContain(`(read-only) until ${shown}.`);
  });

  it('changes nothing inside: every write answers 403', async () => {
    await enter(admin, 'acme');
    const before = await tenantContent(t.platform, acme);
    const snapshot = accountsSnapshot(t.platform);
    expect((await post(admin, '/t/acme/items', { title: 'Written by support', body: '' })).status).toBe(403);
    expect((await post(admin, '/t/acme/settings', { display_name: 'Hacked' })).status).toBe(403);
    expect((await post(admin, '/t/acme/invitations', { emails: 'x@example.com', role_id: '1' })).status).toBe(403);
    expect(await tenantContent(t.platform, acme)).toEqual(before);
    expect(accountsSnapshot(t.platform)).toEqual(snapshot);
  });

  it('opens only the tenant it names: another tenant stays 404 by URL and by form', async () => {
    await enter(admin, 'acme');
    const before = await tenantContent(t.platform, globex);
    expect((await admin.get('/t/globex')).status).toBe(404);
    const items = await admin.get('/t/globex/items');
    expect(items.status).toBe(404);
    expect(items.text).not.toContain('Globex secret roadmap');
    expect((await post(admin, '/t/globex/items', { title: 'x', body: '' })).status).toBe(404);
    expect(await tenantContent(t.platform, globex)).toEqual(before);
  });

  it('ends with the banner’s button, recorded in the tenant’s trail', async () => {
    await enter(admin, 'acme');
    const [grant] = grants();
    const res = await post(admin, `/admin/break-glass/${grant.id}/end`);
    expect(res.status).toBe(303);
    expect((await admin.get('/t/acme')).status).toBe(404);
    expect(grants()[0]).toMatchObject({ ended_reason: 'stopped' });
    expect(JSON.parse(auditOf(t.platform, 'break_glass.end')[0].after ?? '{}')).toMatchObject({ how: 'stopped' });
    expect((await admin.get('/admin/users')).text).not.toContain('Break-glass access to Acme Studio');
  });

  it('ends at its expiry, on the first request after it, without a timer', async () => {
    await enter(admin, 'acme');
    t.platform.db
      .connection()
      .prepare('update access_grants set expires_at = ?')
      .run(Date.now() - 1);
    expect((await admin.get('/t/acme')).status).toBe(404);
    expect(grants()[0]).toMatchObject({ ended_reason: 'expired' });
    expect(auditOf(t.platform, 'break_glass.end')).toMatchObject([{ tenant_id: acme.id, actor_user_id: root.id }]);
    expect((await admin.get('/admin/users')).text).not.toContain('Break-glass access to');
  });

  it('enters a suspended tenant (often the reason to look)', async () => {
    suspendTenant(t.platform, acme.id, { reason: 'Unpaid' }, CLI_OPERATOR);
    expect((await enter(admin, 'acme')).status).toBe(303);
    expect((await admin.get('/t/acme/items')).status).toBe(200);
  });

  it.each([
    ['no reason', { tenant: 'acme', reason: '' }, 'Reason'],
    ['an unknown tenant', { tenant: 'nope', reason: REASON }, 'Workspace (slug)'],
    ['a malformed slug', { tenant: '../acme', reason: REASON }, 'Workspace (slug)'],
  ])('refuses %s with 400 naming the field, granting nothing', async (_label, body, field) => {
    const res = await post(admin, '/admin/break-glass', body);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.text)).toEqual([field]);
    expect(grants()).toEqual([]);
    expect(auditOf(t.platform, 'break_glass.start')).toEqual([]);
    expect((await admin.get('/t/acme')).status).toBe(404);
  });

  it('refuses a tenant the super admin is a member of (nothing to break)', async () => {
    await addMember(t.platform, root, globex, 'viewer');
    const res = await enter(admin, 'globex');
    expect(res.status).toBe(400);
    expect(grants()).toEqual([]);
  });

  it('does not let one super admin end another’s access (404)', async () => {
    await enter(admin, 'acme');
    const [grant] = grants();
    const other = await makeUser(t.platform, { superAdmin: true, email: 'other@example.com' });
    const otherAgent = await signIn(app, other.email);
    expect((await post(otherAgent, `/admin/break-glass/${grant.id}/end`)).status).toBe(404);
    expect((await otherAgent.get('/t/acme')).status).toBe(404);
    expect(grants()[0]).toMatchObject({ ended_at: null });
  });

  it('is not there for anyone but a super admin: 404, nothing granted', async () => {
    const owner = await signIn(app, alice.email);
    expect((await owner.get('/admin/break-glass')).status).toBe(404);
    expect((await post(owner, '/admin/break-glass', { tenant: 'globex', reason: REASON })).status).toBe(404);
    expect(grants()).toEqual([]);
    expect((await owner.get('/t/globex')).status).toBe(404);
  });
});
