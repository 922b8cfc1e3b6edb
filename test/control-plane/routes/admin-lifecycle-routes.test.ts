import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, signIn, type Agent } from '../../support/http-agent';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { outboxMails } from '../../support/outbox';
import { DEFAULT_STEPS, provisionDeps, provisionTenant } from '../../../control-plane/provisioning/provision-tenant';
import { applyTransition } from '../../../control-plane/lifecycle/apply-transition';
import { TenantStatusHistory } from '../../../control-plane/lifecycle/tenant-status-history';
import * as tenantFolders from '../../../control-plane/lifecycle/tenant-folders';

describe('a lifecycle step sent twice from the console (a double click, a form sent again)', () => {
  let t: TestPlatform;
  let admin: Agent;
  let csrf: string;
  let tenant: TenantRecord;
  let app: ReturnType<typeof createApp>['app'];
  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    admin = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
    csrf = await csrfFrom(admin, '/admin/tenants');
    tenant = await makeTenant(t.platform, 'acme', 'Acme');
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  const send = (step: string, body: Record<string, string> = {}, as = admin) =>
    as
      .post(`/admin/tenants/acme/${step}`)
      .type('form')
      .send({ ...body, _csrf: csrf });
  const steps: Array<[string, Record<string, string>, string]> = [
    ['suspend', { reason: 'Unpaid invoice', until: '2099-01-01' }, 'suspended'],
    ['resume', {}, 'active'],
    ['archive', { confirm: 'acme' }, 'archived'],
    ['restore', {}, 'active'],
    ['archive', { confirm: 'acme' }, 'archived'],
    ['purge', { confirm: 'acme' }, 'purged'],
  ];
  const changes = () => t.platform.db.all<{ action: string }>('select action from tenant_status_history where tenant_id = ? order by id', [tenant.id]);
  const audited = () =>
    t.platform.db.all<{ action: string }>("select action from audit_events where tenant_id = ? and action like 'tenant.%' order by id", [tenant.id]);

  for (const [when, twice] of [
    ['at once', (step: string, body: Record<string, string>) => Promise.all([send(step, body), send(step, body)])],
    ['one after the other', async (step: string, body: Record<string, string>) => [await send(step, body), await send(step, body)]],
  ] as const) {
    it(`does each step once and answers both ${when} with what it did`, async () => {
      const before = changes().length;
      for (const [step, body, status] of steps) {
        const answers = await twice(step, body);
        const page = `/admin/tenants/${step === 'purge' ? tenant.id : 'acme'}?done=${step}`;
        expect(answers.map((a) => [step, a.status, a.headers.location])).toEqual([
          [step, 303, page],
          [step, 303, page],
        ]);
        expect(t.platform.tenants.findById(tenant.id)?.status).toBe(status);
      }
      expect(
        changes()
          .slice(before)
          .map((c) => c.action),
      ).toEqual(steps.map(([step]) => step));
      expect(audited().map((a) => a.action)).toEqual(expect.arrayContaining(steps.map(([step]) => `tenant.${step}`)));
      expect(audited().filter((a) => a.action === 'tenant.suspend')).toHaveLength(1);
    });
  }

  it('still refuses a step that is not the same: another reason, another super admin, or the same long after', async () => {
    await send('suspend', { reason: 'Unpaid invoice' });
    const otherReason = await send('suspend', { reason: 'Abuse report' });
    expect(otherReason.status).toBe(409);
    expect(otherReason.text).toContain('cannot be suspended');

    const other = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
    const otherCsrf = await csrfFrom(other, '/admin/tenants');
    const byOther = await other.post('/admin/tenants/acme/suspend').type('form').send({ reason: 'Unpaid invoice', _csrf: otherCsrf });
    expect(byOther.status).toBe(409);

    t.platform.db.run('update tenant_status_history set created_at = created_at - 60000');
    expect((await send('suspend', { reason: 'Unpaid invoice' })).status).toBe(409);
    expect(changes().filter((c) => c.action === 'suspend')).toHaveLength(1);
  });

  it('refuses an archive sent again with another note, keeping the first one', async () => {
    expect((await send('archive', { confirm: 'acme', note: 'Contract ended' })).status).toBe(303);
    const otherNote = await send('archive', { confirm: 'acme', note: 'Moved to another agency' });
    expect(otherNote.status).toBe(409);
    expect(changes().filter((c) => c.action === 'archive')).toHaveLength(1);
    expect(new TenantStatusHistory(t.platform.db).latest(tenant.id)?.reason).toBe('Contract ended');
  });

  it('never answers an archive sent again with "done" when the first failed to move the files', async () => {
    jest.spyOn(tenantFolders, 'moveToArchive').mockImplementationOnce(() => {
      throw Object.assign(new Error('EACCES: permission denied, rename'), { code: 'EACCES' });
    });
    expect((await send('archive', { confirm: 'acme' })).status).toBe(500);
    expect(t.platform.tenants.findById(tenant.id)).toMatchObject({ status: 'archived', pending_operation: 'archive' });
    const again = await send('archive', { confirm: 'acme' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('cannot be archived');
  });

  it('still answers 404 for a purge of a slug purged long ago', async () => {
    await send('archive', { confirm: 'acme' });
    await send('purge', { confirm: 'acme' });
    t.platform.db.run('update tenants set status_changed_at = status_changed_at - 60000 where id = ?', [tenant.id]);
    expect((await send('purge', { confirm: 'acme' })).status).toBe(404);
  });

  for (const [when, twice] of [
    ['at once', () => Promise.all([send('owners', { email: 'new@example.com' }), send('owners', { email: 'new@example.com' })])],
    ['one after the other', async () => [await send('owners', { email: 'new@example.com' }), await send('owners', { email: 'new@example.com' })]],
  ] as const) {
    it(`invites a new owner once when Add owner is sent twice ${when}: one mail, and the link shown is the one mailed`, async () => {
      const answers = await twice();
      expect(answers.map((a) => [a.status, a.headers.location])).toEqual([
        [303, '/admin/tenants/acme/owner-invited'],
        [303, '/admin/tenants/acme/owner-invited'],
      ]);
      expect(t.platform.db.all('select id from invitations where tenant_id = ?', [tenant.id])).toHaveLength(1);
      const mails = outboxMails(t.dataDir).filter((m) => m.to === 'new@example.com');
      expect(mails).toHaveLength(1);
      const page = await admin.get('/admin/tenants/acme/owner-invited');
      const link = /value="(http:\/\/localhost:3000\/invitations\/[A-Za-z0-9_-]+)"/.exec(page.text)?.[1];
      expect(link).toBeDefined();
      expect(mails[0].text).toContain(link);
    });
  }

  it('answers Add owner of an existing account sent twice, after or at once, as done both times: one membership, one record', async () => {
    await makeUser(t.platform, { email: 'boss@example.com' });
    const first = await send('owners', { email: 'boss@example.com' });
    const again = await send('owners', { email: 'boss@example.com' });
    const both = await Promise.all([send('owners', { email: 'boss@example.com' }), send('owners', { email: 'boss@example.com' })]);
    expect([first, again, ...both].map((a) => [a.status, a.headers.location])).toEqual(Array(4).fill([303, '/admin/tenants/acme?done=owner']));
    expect(t.platform.db.all("select id from audit_events where action = 'membership.add' and tenant_id = ?", [tenant.id])).toHaveLength(1);
    expect(t.platform.db.all("select id from memberships where tenant_id = ? and status = 'active'", [tenant.id])).toHaveLength(1);
  });

  it('sends a new owner invitation (the old link stops) when Add owner is sent again long after', async () => {
    await send('owners', { email: 'new@example.com' });
    t.platform.db.run('update invitations set created_at = created_at - 60000');
    await send('owners', { email: 'new@example.com' });
    expect(t.platform.db.all("select id from invitations where tenant_id = ? and state = 'pending'", [tenant.id])).toHaveLength(1);
    expect(outboxMails(t.dataDir).filter((m) => m.to === 'new@example.com')).toHaveLength(2);
  });
});

describe('a discard, retry or recheck sent twice from the console (a double click, a form sent again)', () => {
  let t: TestPlatform;
  let admin: Agent;
  let csrf: string;
  beforeEach(async () => {
    t = await createTestPlatform();
    admin = await signIn(createApp(t.platform).app, (await makeUser(t.platform, { superAdmin: true })).email);
    csrf = await csrfFrom(admin, '/admin/tenants');
  });
  afterEach(() => t.cleanup());

  const send = (slug: string, step: string, body: Record<string, string> = {}) =>
    admin
      .post(`/admin/tenants/${slug}/${step}`)
      .type('form')
      .send({ ...body, _csrf: csrf });
  const failedTenant = async (slug = 'initech') => {
    const steps = DEFAULT_STEPS.map((step) => (step.name === 'seed-tenant' ? { name: step.name, run: () => Promise.reject(new Error('disk full')) } : step));
    await provisionTenant(provisionDeps(t.platform, { steps, ownerEmail: `boss@${slug}.test` }), { slug, name: slug }).catch(() => undefined);
    const tenant = t.platform.tenants.findBySlug(slug) as TenantRecord;
    expect(tenant.status).toBe('failed');
    return tenant;
  };
  const actions = (id: string) =>
    t.platform.db.all<{ action: string }>('select action from tenant_status_history where tenant_id = ? order by id', [id]).map((c) => c.action);

  for (const [when, twice] of [
    ['at once', (slug: string, step: string, body?: Record<string, string>) => Promise.all([send(slug, step, body), send(slug, step, body)])],
    ['one after the other', async (slug: string, step: string, body?: Record<string, string>) => [await send(slug, step, body), await send(slug, step, body)]],
  ] as const) {
    it(`discards a failed tenant once and answers both ${when} with its tombstone, not a 404 for the slug it freed`, async () => {
      const tenant = await failedTenant();
      const answers = await twice('initech', 'discard', { confirm: 'initech' });
      expect(answers.map((a) => [a.status, a.headers.location])).toEqual([
        [303, `/admin/tenants/${tenant.id}?done=discard`],
        [303, `/admin/tenants/${tenant.id}?done=discard`],
      ]);
      expect(actions(tenant.id).filter((a) => a === 'discard')).toHaveLength(1);
    });

    it(`provisions a failed tenant again once and leads both ${when} to the page with its owner's link`, async () => {
      const tenant = await failedTenant();
      const answers = await twice('initech', 'retry');
      expect(answers.map((a) => [a.status, a.headers.location])).toEqual([
        [303, '/admin/tenants/initech/created'],
        [303, '/admin/tenants/initech/created'],
      ]);
      expect(t.platform.tenants.findById(tenant.id)?.status).toBe('active');
      expect(actions(tenant.id).filter((a) => a === 'retry')).toHaveLength(1);
      expect(t.platform.db.all('select id from invitations where tenant_id = ?', [tenant.id])).toHaveLength(1);
      expect(outboxMails(t.dataDir).filter((m) => m.to === 'boss@initech.test')).toHaveLength(1);
      const page = await admin.get('/admin/tenants/initech/created');
      expect(page.text).toMatch(/value="http:\/\/localhost:3000\/invitations\/[\w-]{20,}"/);
    });

    it(`brings a damaged tenant back once and answers both ${when} with it, not "only a damaged tenant is rechecked"`, async () => {
      const tenant = await makeTenant(t.platform, 'acme', 'Acme');
      applyTransition(t.platform, tenant.id, 'mark-damaged', { actorUserId: null, by: 'system', failure: 'a bad page' });
      const answers = await twice('acme', 'recover');
      expect(answers.map((a) => [a.status, a.headers.location])).toEqual([
        [303, '/admin/tenants/acme?done=recover'],
        [303, '/admin/tenants/acme?done=recover'],
      ]);
      expect(actions(tenant.id).filter((a) => a === 'recover')).toHaveLength(1);
    });
  }

  it('provisions again when a retry that failed again is sent again moments after', async () => {
    const tenant = await failedTenant();
    // The seeding step fails again for this retry.
    const seed = DEFAULT_STEPS.findIndex((step) => step.name === 'seed-tenant');
    const original = DEFAULT_STEPS[seed];
    DEFAULT_STEPS[seed] = { name: original.name, run: () => Promise.reject(new Error('disk full again')) };
    try {
      expect((await send('initech', 'retry')).status).toBeGreaterThanOrEqual(400);
    } finally {
      DEFAULT_STEPS[seed] = original;
    }
    expect(t.platform.tenants.findById(tenant.id)?.status).toBe('failed');
    const again = await send('initech', 'retry');
    expect([again.status, again.headers.location]).toEqual([303, '/admin/tenants/initech/created']);
    expect(t.platform.tenants.findById(tenant.id)?.status).toBe('active');
    expect(actions(tenant.id).filter((a) => a === 'retry')).toHaveLength(2);
  });

  it('still refuses a retry sent again long after, and a discard of a slug discarded long ago', async () => {
    const tenant = await failedTenant();
    await send('initech', 'retry');
    t.platform.db.run('update tenant_status_history set created_at = created_at - 60000');
    const late = await send('initech', 'retry');
    expect(late.status).toBe(409);
    expect(late.text).toContain('only a failed tenant can be retried');
    applyTransition(t.platform, tenant.id, 'mark-damaged', { actorUserId: null, by: 'system', failure: 'a bad page' });
    expect((await send('initech', 'recover')).status).toBe(303);
    t.platform.db.run('update tenant_status_history set created_at = created_at - 60000');
    expect((await send('initech', 'recover')).status).toBe(409);

    const other = await failedTenant('other');
    await send('other', 'discard', { confirm: 'other' });
    t.platform.db.run('update tenants set status_changed_at = status_changed_at - 60000 where id = ?', [other.id]);
    expect((await send('other', 'discard', { confirm: 'other' })).status).toBe(404);
  });
});
