import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { auditOf, setRole } from '../../support/team';
import { mailsSent } from '../../support/outbox';
import { deletionRequestCast, forgetDeletionRequests, type DeletionRequestCast } from '../../support/deletion-requests';
import { outboxDir } from '../../../core/mail/mailer';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { requestDeletion } from '../../../control-plane/deletion-requests/request-deletion';
import type { ActingMember } from '../../../control-plane/audit/tenant-actor';
import { NotFoundError } from '../../../core/errors/app-errors';

describe('a request to delete the workspace', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let alpha: TenantRecord;
  let bravo: TenantRecord;
  let users: DeletionRequestCast['users'];
  const agents = {} as Record<'alice' | 'adam' | 'bob' | 'root', Agent>;

  const requestOf = (tenant: TenantRecord) =>
    t.platform.db.get<{ requested_by: string; requested_at: number; reason: string | null }>('select * from tenant_deletion_requests where tenant_id = ?', [
      tenant.id,
    ]);
  const ask = (who: Agent, slug: string, body: Record<string, string>) => postForm(who, `/t/${slug}/settings/deletion-request`, body, '/tenants');
  const withdraw = (who: Agent, slug: string) => postForm(who, `/t/${slug}/settings/deletion-request/withdraw`, {}, '/tenants');
  const mails = () => mailsSent(t);

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    ({ alpha, bravo, users } = await deletionRequestCast(t.platform));
    for (const name of ['alice', 'adam', 'bob', 'root'] as const) agents[name] = await signIn(app, users[name].email);
  });
  afterAll(() => t.cleanup());

  beforeEach(() => forgetDeletionRequests(t));

  it('is asked by an owner with the slug typed and a reason: kept, audited, mailed to the super admins, while the workspace keeps working', async () => {
    const res = await ask(agents.alice, 'alpha', { confirm: 'alpha', reason: 'We are closing the agency' });
    expect(res.status).toBe(303);
    expect(requestOf(alpha)).toMatchObject({ requested_by: users.alice.id, reason: 'We are closing the agency' });
    const [record, ...more] = auditOf(t.platform, 'tenant.deletion.requested');
    expect(more).toEqual([]);
    expect(record).toMatchObject({ actor_user_id: users.alice.id, tenant_id: alpha.id, target_id: alpha.id });
    expect(JSON.parse(record.after as string)).toMatchObject({ requested_by: users.alice.id, reason: 'We are closing the agency' });

    const sent = await mails();
    expect(sent.map((m) => m.to)).toEqual(['root@example.com']);
    expect(sent[0].subject).toContain('alpha');
    expect(sent[0].text).toContain('We are closing the agency');
    expect(sent[0].text).toContain('/admin/tenants/alpha');

    const settings = await agents.alice.get('/t/alpha/settings');
    expect(settings.status).toBe(200);
    expect(settings.text).toContain('Alice asked on');
    expect(settings.text).toContain('We are closing the agency');
    expect((await agents.alice.get('/t/alpha/items')).status).toBe(200);
    expect(t.platform.tenants.findById(alpha.id)?.status).toBe('active');
  });

  it('is refused without the slug typed, or with a reason too long, naming the field and writing nothing', async () => {
    const unconfirmed = await ask(agents.alice, 'alpha', { confirm: 'alph', reason: 'x' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('confirm-error');
    const long = await ask(agents.alice, 'alpha', { confirm: 'alpha', reason: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect(long.text).toContain('reason-error');
    expect(requestOf(alpha)).toBeUndefined();
    expect(auditOf(t.platform, 'tenant.deletion.requested')).toEqual([]);
    expect(await mails()).toEqual([]);
  });

  it('asked twice keeps the first request, answered as done, with one record and one mail', async () => {
    await ask(agents.alice, 'alpha', { confirm: 'alpha', reason: 'first' });
    const first = requestOf(alpha);
    const again = await ask(agents.alice, 'alpha', { confirm: 'alpha', reason: 'second' });
    expect(again.status).toBe(303);
    expect(requestOf(alpha)).toEqual(first);
    expect(auditOf(t.platform, 'tenant.deletion.requested')).toHaveLength(1);
    expect(await mails()).toHaveLength(1);
  });

  it('needs tenant.delete.request: an admin is refused (403) and a non-member gets 404, nothing written', async () => {
    expect((await agents.adam.get('/t/alpha/settings/deletion-request')).status).toBe(403);
    expect((await ask(agents.adam, 'alpha', { confirm: 'alpha' })).status).toBe(403);
    expect((await agents.alice.get('/t/alpha/settings')).text).toContain('/t/alpha/settings/deletion-request');
    expect((await agents.adam.get('/t/alpha/settings')).text).not.toContain('/settings/deletion-request');
    expect((await agents.root.get('/t/alpha/settings/deletion-request')).status).toBe(404);
    expect(requestOf(alpha)).toBeUndefined();
  });

  it('cannot be asked by a super admin impersonating an owner (the permission is withheld)', async () => {
    const admin = await signIn(app, users.root.email);
    const started = await postForm(admin, `/admin/users/${users.alice.id}/impersonate`, { reason: 'Ticket 12' }, `/admin/users/${users.alice.id}`);
    expect(started.status).toBe(303);
    expect((await ask(admin, 'alpha', { confirm: 'alpha' })).status).toBe(403);
    expect(requestOf(alpha)).toBeUndefined();
  });

  it('of another workspace cannot be asked for, seen or withdrawn by its URL, slug or a form field: 404 and nothing changes', async () => {
    await ask(agents.bob, 'bravo', { confirm: 'bravo', reason: 'bravo closes' });
    const bobs = requestOf(bravo);
    expect((await agents.alice.get('/t/bravo/settings/deletion-request')).status).toBe(404);
    expect((await ask(agents.alice, 'bravo', { confirm: 'bravo' })).status).toBe(404);
    expect((await withdraw(agents.alice, 'bravo')).status).toBe(404);
    // Alpha's own form naming bravo in its fields changes only alpha, if anything.
    const named = await ask(agents.alice, 'alpha', { confirm: 'bravo', tenant: 'bravo', tenant_id: bravo.id });
    expect(named.status).toBe(400);
    await withdraw(agents.alice, 'alpha');
    expect(requestOf(bravo)).toEqual(bobs);
    expect((await agents.alice.get('/t/alpha/settings/deletion-request')).text).not.toContain('bravo closes');
    expect(auditOf(t.platform, 'tenant.deletion.withdrawn')).toEqual([]);
  });

  it('is withdrawn by the owner while pending, recorded; withdrawing again is answered as done', async () => {
    await ask(agents.alice, 'alpha', { confirm: 'alpha' });
    expect((await withdraw(agents.alice, 'alpha')).status).toBe(303);
    expect(requestOf(alpha)).toBeUndefined();
    expect((await withdraw(agents.alice, 'alpha')).status).toBe(303);
    expect(auditOf(t.platform, 'tenant.deletion.withdrawn')).toMatchObject([{ actor_user_id: users.alice.id, tenant_id: alpha.id }]);
    expect((await agents.alice.get('/t/alpha/settings/deletion-request')).text).toContain('name="confirm"');
  });

  it('shows on the console (dashboard and tenant page) and is declined with a note: ended, recorded, the owner who asked is mailed', async () => {
    await ask(agents.alice, 'alpha', { confirm: 'alpha', reason: 'Budget cut' });
    const dashboard = await agents.root.get('/admin');
    expect(dashboard.text).toContain('Asking to be deleted (1)');
    expect(dashboard.text).toContain('Budget cut');
    const page = await agents.root.get('/admin/tenants/alpha');
    expect(page.text).toContain('alice@example.com');
    expect(page.text).toContain('/admin/tenants/alpha/decline-deletion');

    const noNote = await postForm(agents.root, '/admin/tenants/alpha/decline-deletion', { note: ' ' }, '/admin/tenants/alpha');
    expect(noNote.status).toBe(400);
    expect(requestOf(alpha)).toBeDefined();

    fs.rmSync(outboxDir(t.dataDir), { recursive: true, force: true });
    const declined = await postForm(agents.root, '/admin/tenants/alpha/decline-deletion', { note: 'Your contract runs to June' }, '/admin/tenants/alpha');
    expect(declined.status).toBe(303);
    expect(requestOf(alpha)).toBeUndefined();
    expect(t.platform.tenants.findById(alpha.id)?.status).toBe('active');
    const [record] = auditOf(t.platform, 'tenant.deletion.declined');
    expect(record).toMatchObject({ actor_user_id: users.root.id, tenant_id: alpha.id });
    expect(JSON.parse(record.after as string)).toEqual({ note: 'Your contract runs to June' });
    const sent = await mails();
    expect(sent.map((m) => m.to)).toEqual(['alice@example.com']);
    expect(sent[0].text).toContain('Your contract runs to June');
    expect((await agents.root.get('/admin')).text).not.toContain('Asking to be deleted');
  });

  it('ends when the super admin archives the workspace through its lifecycle, the archive record naming it', async () => {
    const charlie = await makeTenant(t.platform, 'charlie');
    await setRole(t.platform, users.alice, charlie, 'owner');
    await ask(agents.alice, 'charlie', { confirm: 'charlie' });
    const archived = await postForm(agents.root, '/admin/tenants/charlie/archive', { confirm: 'charlie' }, '/admin/tenants/charlie');
    expect(archived.status).toBe(303);
    expect(requestOf(charlie)).toBeUndefined();
    const record = auditOf(t.platform, 'tenant.archive').find((r) => r.tenant_id === charlie.id);
    expect(JSON.parse(record?.after as string)).toMatchObject({ status: 'archived', deletion_request: { requested_by: users.alice.id } });
  });

  describe('and a restore of the archived workspace', () => {
    let charlie: TenantRecord;
    beforeEach(async () => {
      charlie = await makeTenant(t.platform, `charlie-${Date.now().toString(36)}`);
      await setRole(t.platform, users.alice, charlie, 'owner');
    });
    const archive = () => postForm(agents.root, `/admin/tenants/${charlie.slug}/archive`, { confirm: charlie.slug }, `/admin/tenants/${charlie.slug}`);
    const restore = () => postForm(agents.root, `/admin/tenants/${charlie.slug}/restore`, {}, `/admin/tenants/${charlie.slug}`);
    /** Nothing pending anywhere it would show: the owner's settings, the console's tenant page and dashboard. */
    const expectNonePending = async () => {
      expect(requestOf(charlie)).toBeUndefined();
      expect((await agents.alice.get(`/t/${charlie.slug}/settings`)).text).not.toContain('Alice asked on');
      expect((await agents.root.get(`/admin/tenants/${charlie.slug}`)).text).not.toContain('id="deletion-request"');
      expect((await agents.root.get('/admin')).text).not.toContain('Asking to be deleted');
    };

    it('brings no request back: the archive ended it, nothing shows it, and the owner can ask again', async () => {
      await ask(agents.alice, charlie.slug, { confirm: charlie.slug });
      expect((await archive()).status).toBe(303);
      expect((await restore()).status).toBe(303);
      expect(t.platform.tenants.findById(charlie.id)?.status).toBe('active');
      await expectNonePending();
      expect((await ask(agents.alice, charlie.slug, { confirm: charlie.slug })).status).toBe(303);
      expect(requestOf(charlie)).toMatchObject({ requested_by: users.alice.id });
    });

    it('refuses a request the owner sends as the workspace is archived (404, nothing written), so the restore has none to bring back', async () => {
      const acting = { userId: users.alice.id, tenantId: charlie.id, permissions: new Set(['tenant.delete.request']), ip: '', userAgent: '' } as const;
      expect((await archive()).status).toBe(303);
      // The owner's page let them in before the archive committed: the command still runs.
      expect(() => requestDeletion(t.platform, acting as unknown as ActingMember, { confirm: charlie.slug })).toThrow(NotFoundError);
      expect(requestOf(charlie)).toBeUndefined();
      expect(auditOf(t.platform, 'tenant.deletion.requested').filter((r) => r.tenant_id === charlie.id)).toEqual([]);
      expect((await restore()).status).toBe(303);
      await expectNonePending();
    });

    it('ends a request left beside an archive by an older version: not listed while archived, ended by the restore, whose record names it', async () => {
      expect((await archive()).status).toBe(303);
      t.platform.db.run('insert into tenant_deletion_requests (tenant_id, requested_by, requested_at, reason) values (?, ?, ?, ?)', [
        charlie.id,
        users.alice.id,
        Date.now(),
        'left over',
      ]);
      expect((await agents.root.get('/admin')).text).not.toContain('Asking to be deleted');
      expect((await restore()).status).toBe(303);
      await expectNonePending();
      const record = auditOf(t.platform, 'tenant.restore').find((r) => r.tenant_id === charlie.id);
      expect(JSON.parse(record?.after as string)).toMatchObject({ status: 'active', deletion_request: { requested_by: users.alice.id, reason: 'left over' } });
    });
  });
});
