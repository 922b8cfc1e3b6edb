import { englishOnly } from '../../../core/i18n/page-language';
import { accessibilityFaults } from '../../support/page-accessibility';
import fs from 'node:fs';
import { usePageViews } from '../../../core/http/page-views';
import express from 'express';
import request from 'supertest';
import { adminTenantRoutes } from '../../../control-plane/routes/admin-tenant-routes';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn, type Agent } from '../../support/http-agent';
import { makeItem } from '../../support/content';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { DEFAULT_STEPS, provisionDeps, provisionTenant } from '../../../control-plane/provisioning/provision-tenant';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

describe('the super admin page of one tenant', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let admin: Agent;
  let acme: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    const root = await makeUser(t.platform, { superAdmin: true, email: 'root@example.com' });
    admin = await signIn(app, root.email);
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    await addMember(t.platform, await makeUser(t.platform, { email: 'olive@acme.test', name: 'Olive Owner' }), acme, 'owner');
    await addMember(t.platform, await makeUser(t.platform, { email: 'ed@acme.test', name: 'Ed Editor' }), acme, 'editor');
  });
  afterEach(() => t.cleanup());

  const snapshot = (id: string) => ({
    row: t.platform.tenants.findById(id),
    history: t.platform.db.all('select * from tenant_status_history where tenant_id = ?', [id]),
    memberships: t.platform.db.all('select * from memberships where tenant_id = ? order by id', [id]),
    invitations: t.platform.db.all('select * from invitations where tenant_id = ? order by id', [id]),
    live: fs.existsSync(tenantPaths(t.dataDir, id).dir),
    archived: fs.existsSync(tenantPaths(t.dataDir, id, 'archive').dir),
  });

  it('shows status with history, schema version, sizes, members, pending invitations, activity, audit and backups', async () => {
    await makeItem(t.platform, acme, { title: 'A post' });
    await postForm(admin, '/admin/tenants/acme/owners', { email: 'new-owner@acme.test' }, '/admin/tenants/acme');
    const res = await admin.get('/admin/tenants/acme');
    expect(res.status).toBe(200);
    const text = res.text;
    expect(text).toContain('Acme Studio');
    expect(text).toContain('status-active');
    expect(text).toMatch(/<code>activate<\/code><\/td><td>provisioning → active/);
    expect(text).toContain(`<code>${t.platform.tenantSource.latest}</code>`);
    // Sizes as the fleet page and the CLI say them (formatBytes): `0 B`, `44 KiB`, `1.5 MiB`.
    const size = String.raw`\d+(\.\d)? (B|KiB|MiB)`;
    expect(text).toMatch(new RegExp(`database ${size} · WAL ${size} · files ${size} · <strong>total ${size}</strong>`));
    expect(text).toContain('Olive Owner');
    expect(text).toContain('Ed Editor');
    expect(text).toContain('new-owner@acme.test');
    expect(text).toMatch(/last database write \d{4}-\d\d-\d\d/);
    expect(text).toContain('<code>invitation.create</code>');
    expect(text).toContain('No fleet migration has touched this tenant yet');
    expect(text).toContain('<h2 id="backups-title">Backups</h2>');
    expect(text).toContain('No backups yet.');
    // Actions the transition table allows for an active tenant, and no others.
    expect(text).toContain('action="/admin/tenants/acme/suspend"');
    expect(text).toContain('action="/admin/tenants/acme/archive"');
    expect(text).not.toContain('action="/admin/tenants/acme/purge"');
    expect(text).not.toContain('action="/admin/tenants/acme/restore"');
  });

  it('offers a super admin who is not a member break-glass instead of a workspace link that answers 404, on the page and in the list', async () => {
    const hrefOf = (html: string, text: string) => new RegExp(`<a href="([^"]+)"[^>]*>${text}</a>`).exec(html)?.[1];
    const detail = await admin.get('/admin/tenants/acme');
    const enter = hrefOf(detail.text, 'Enter read-only \\(break-glass\\)');
    expect(enter).toBe('/admin/break-glass?tenant=acme');
    expect(detail.text).not.toContain('Open workspace');
    expect((await admin.get(enter as string)).text).toContain('value="acme"');
    expect((await admin.get('/t/acme')).status).toBe(404);
    const list = await admin.get('/admin/tenants');
    expect(list.text).toContain('<a href="/admin/break-glass?tenant=acme" title="Enter read-only (break-glass)"><code>acme</code></a>');

    await addMember(t.platform, t.platform.users.findByEmail('root@example.com') as UserRecord, acme, 'admin');
    const member = await admin.get('/admin/tenants/acme');
    expect(hrefOf(member.text, 'Open workspace')).toBe('/t/acme');
    expect((await admin.get('/t/acme')).status).toBe(200);
    expect((await admin.get('/admin/tenants')).text).toContain('<a href="/t/acme" title="Open the workspace"><code>acme</code></a>');
  });

  it('lists the backups an optional loader provides', async () => {
    const probe = express();
    usePageViews(probe, { reload: false });
    probe.use((req, res, next) => {
      req.user = { id: 'u1', email: 'root@example.com', name: 'Root', isSuperAdmin: true, language: null };
      res.locals.csrfToken = () => 'token';
      res.locals.tenantUrl = (slug: string) => `/t/${slug}`;
      next();
    });
    probe.use(englishOnly);
    const backupsOf = (id: string) => (id === acme.id ? [{ id: 'b1', createdAt: Date.UTC(2025, 0, 2), bytes: 204800, kind: 'nightly' }] : []);
    probe.use('/admin', adminTenantRoutes(t.platform, { backupsOf }));
    const res = await request(probe).get('/admin/tenants/acme');
    expect(res.status).toBe(200);
    expect(res.text).toContain('2025-01-02 00:00 UTC');
    expect(res.text).toContain('nightly');
    expect(res.text).toContain('<td class="num">200 KiB</td>');
    expect(res.text).not.toContain('No backups yet.');
  });

  it('suspends with a reason and an end date from the form, then shows both', async () => {
    const res = await postForm(admin, '/admin/tenants/acme/suspend', { reason: 'Invoice unpaid', until: '2099-04-01T10:30' }, '/admin/tenants/acme');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/tenants/acme?done=suspend');
    const page = await admin.get(res.headers.location);
    expect(page.text).toContain('The tenant is suspended');
    expect(page.text).toContain('Reason: Invoice unpaid');
    expect(page.text).toContain('Resumes by itself on 2099-04-01 10:30 UTC');
    expect(page.text).toContain('action="/admin/tenants/acme/resume"');
  });

  it('refuses a suspension without a reason with a 400 naming the field, and changes nothing', async () => {
    const before = snapshot(acme.id);
    const res = await postForm(admin, '/admin/tenants/acme/suspend', { reason: '', until: 'tomorrow' }, '/admin/tenants/acme');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Reason (members read it) is required');
    expect(res.text).toContain('Acme Studio');
    expect(snapshot(acme.id)).toEqual(before);
  });

  it('archives only when the slug is typed, then restores everything and purges on a second typed slug', async () => {
    const before = snapshot(acme.id);
    for (const confirm of ['', 'ACME', 'acme-studio', 'globex']) {
      const refused = await postForm(admin, '/admin/tenants/acme/archive', { confirm }, '/admin/tenants/acme');
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('must be the tenant&#39;s slug (acme) to confirm');
    }
    expect(snapshot(acme.id)).toEqual(before);

    expect((await postForm(admin, '/admin/tenants/acme/archive', { confirm: 'acme', note: 'Contract ended' }, '/admin/tenants/acme')).status).toBe(303);
    expect(snapshot(acme.id)).toMatchObject({ live: false, archived: true, row: { status: 'archived', status_reason: 'Contract ended' } });
    const archivedPage = await admin.get('/admin/tenants/acme');
    expect(archivedPage.text).toMatch(/Restorable until \d{4}-\d\d-\d\d/);
    expect(archivedPage.text).toContain('action="/admin/tenants/acme/purge"');

    expect((await postForm(admin, '/admin/tenants/acme/restore', {}, '/admin/tenants/acme')).status).toBe(303);
    const restored = snapshot(acme.id);
    expect(restored).toMatchObject({ live: true, archived: false, row: { status: 'active' } });
    expect(restored.memberships).toEqual(before.memberships);

    await postForm(admin, '/admin/tenants/acme/archive', { confirm: 'acme' }, '/admin/tenants/acme');
    expect((await postForm(admin, '/admin/tenants/acme/purge', { confirm: 'nope' }, '/admin/tenants/acme')).status).toBe(400);
    const purged = await postForm(admin, '/admin/tenants/acme/purge', { confirm: 'acme' }, '/admin/tenants/acme');
    expect(purged.status).toBe(303);
    expect(purged.headers.location).toBe(`/admin/tenants/${acme.id}?done=purge`);
    const tombstone = await admin.get(purged.headers.location);
    expect(tombstone.text).toContain('this record is a tombstone');
    expect(snapshot(acme.id)).toMatchObject({ live: false, archived: false, memberships: [], row: { status: 'purged', slug: 'acme' } });
    expect((await admin.get('/admin/tenants/acme')).status).toBe(404);
  });

  it('gives every element of the page its own id, whatever the status, so each label and link finds its own target', async () => {
    const duplicateIds = (html: string) => {
      const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      return ids.filter((id, i) => ids.indexOf(id) !== i);
    };
    const active = await admin.get('/admin/tenants/acme');
    expect(active.text).toContain('<select id="plan" name="plan">');
    expect(duplicateIds(active.text)).toEqual([]);
    const refusedPlan = await postForm(admin, '/admin/tenants/acme/plan', { plan: 'nope' }, '/admin/tenants/acme');
    expect(refusedPlan.status).toBe(400);
    expect(duplicateIds(refusedPlan.text)).toEqual([]);
    await postForm(admin, '/admin/tenants/acme/suspend', { reason: 'Invoice unpaid' }, '/admin/tenants/acme');
    expect(duplicateIds((await admin.get('/admin/tenants/acme')).text)).toEqual([]);
    await postForm(admin, '/admin/tenants/acme/resume', {}, '/admin/tenants/acme');
    await postForm(admin, '/admin/tenants/acme/archive', { confirm: 'acme' }, '/admin/tenants/acme');
    expect(duplicateIds((await admin.get('/admin/tenants/acme')).text)).toEqual([]);
  });

  it('adds an existing account as owner, and shows a new address its owner invitation once', async () => {
    const user = await makeUser(t.platform, { email: 'boss@acme.test' });
    const added = await postForm(admin, '/admin/tenants/acme/owners', { email: 'boss@acme.test' }, '/admin/tenants/acme');
    expect(added.status).toBe(303);
    expect(t.platform.memberships.findActive(user.id, acme.id)?.role_key).toBe('owner');
    const invited = await postForm(admin, '/admin/tenants/acme/owners', { email: 'fresh@acme.test' }, '/admin/tenants/acme');
    expect(invited.status).toBe(303);
    expect(invited.headers.location).toBe('/admin/tenants/acme/owner-invited');
    const shown = await admin.get(invited.headers.location);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('<h1>Owner invitation for Acme Studio</h1>');
    const expiresAt = t.platform.db.get<{ expires_at: number }>("select expires_at from invitations where email = 'fresh@acme.test'")!.expires_at;
    expect(shown.text).toContain(`expires on ${new Date(expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
    expect(shown.text).toMatch(/value="http:\/\/localhost:3000\/invitations\/[\w-]{20,}"/);
    // Shown once: a refresh invites nobody again and shows no link, it leads to the tenant's page.
    const again = await admin.get(invited.headers.location);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/admin/tenants/acme');
    expect(t.platform.db.all("select id from invitations where tenant_id = ? and email = 'fresh@acme.test'", [acme.id])).toHaveLength(1);
    const bad = await postForm(admin, '/admin/tenants/acme/owners', { email: 'not an email' }, '/admin/tenants/acme');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('must be a valid email address');
  });

  it('says an owner invitation went to the outbox folder, not by mail, without SMTP_URL, in the words the new-tenant page uses', async () => {
    const invited = await postForm(admin, '/admin/tenants/acme/owners', { email: 'fresh@acme.test' }, '/admin/tenants/acme');
    const shown = await admin.get(invited.headers.location);
    expect(shown.text).toContain(
      'the owner invitation to <strong>fresh@acme.test</strong> was written to the outbox folder on the server. Send them the link below yourself.',
    );
    expect(shown.text).not.toContain('was mailed to');
  });

  it('says in words when an owner invitation could not be mailed, and still shows its link', async () => {
    t.platform.mailer.send = async () => {
      throw new Error('the mail server refused the connection');
    };
    const invited = await postForm(admin, '/admin/tenants/acme/owners', { email: 'fresh@acme.test' }, '/admin/tenants/acme');
    expect(invited.status).toBe(303);
    const shown = await admin.get(invited.headers.location);
    expect(shown.text).toContain('The owner invitation to <strong>fresh@acme.test</strong> could not be mailed: send them the link below yourself.');
    expect(shown.text).not.toContain('was mailed to');
    expect(shown.text).toMatch(/value="http:\/\/localhost:3000\/invitations\/[\w-]{20,}"/);
  });

  it('provisions a failed tenant again and shows its owner invitation once, after a redirect', async () => {
    const steps = DEFAULT_STEPS.map((step) => (step.name === 'seed-tenant' ? { name: step.name, run: () => Promise.reject(new Error('disk full')) } : step));
    await provisionTenant(provisionDeps(t.platform, { steps, ownerEmail: 'boss@initech.test' }), { slug: 'initech', name: 'Initech' }).catch(() => undefined);
    expect(t.platform.tenants.findBySlug('initech')?.status).toBe('failed');
    const retried = await postForm(admin, '/admin/tenants/initech/retry', {}, '/admin/tenants/initech');
    expect(retried.status).toBe(303);
    expect(retried.headers.location).toBe('/admin/tenants/initech/created');
    expect(t.platform.tenants.findBySlug('initech')?.status).toBe('active');
    const shown = await admin.get(retried.headers.location);
    expect(shown.text).toContain('<title>Provisioned Initech');
    expect(shown.text).toMatch(/value="http:\/\/localhost:3000\/invitations\/[\w-]{20,}"/);
    const again = await admin.get(retried.headers.location);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/admin/tenants/initech');
  });

  describe('a refused form, shown again', () => {
    /** The form of the page that posts to `step`, as sent. */
    const formOf = (html: string, step: string) => html.match(new RegExp(`<form method="post" action="[^"]*/${step}"[\\s\\S]*?</form>`))?.[0] ?? '';
    const inputOf = (form: string, name: string) => form.match(new RegExp(`<input id="[\\w-]+" name="${name}"[^>]*>`))?.[0] ?? '';
    const hiddenOf = (form: string, name: string) => form.match(new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`))?.[1];

    it("puts what was typed back in the form it was typed in only: the archive's note is not the decline's", async () => {
      t.platform.db.run('insert into tenant_deletion_requests (tenant_id, requested_by, requested_at, reason) values (?, ?, ?, ?)', [
        acme.id,
        t.platform.users.findByEmail('olive@acme.test')?.id ?? null,
        Date.now(),
        'closing down',
      ]);
      const before = snapshot(acme.id);
      const res = await postForm(admin, '/admin/tenants/acme/archive', { note: 'Kept for the auditors', confirm: 'wrong' }, '/admin/tenants/acme');
      expect(res.status).toBe(400);
      expect(inputOf(formOf(res.text, 'archive'), 'note')).toContain('value="Kept for the auditors"');
      expect(inputOf(formOf(res.text, 'decline-deletion'), 'note')).toContain('value=""');
      expect(formOf(res.text, 'decline-deletion')).not.toContain('aria-invalid');
      // Both forms have a note: each its own id, so each label names its own field.
      expect(accessibilityFaults(res.text, 'en')).toEqual([]);
      expect(snapshot(acme.id)).toEqual(before);
    });

    it('leaves the rename form its own revision when the plan form is refused with another one', async () => {
      const res = await postForm(admin, '/admin/tenants/acme/plan', { plan: 'free', revision: '1', limit_items: 'many' }, '/admin/tenants/acme');
      expect(res.status).toBe(400);
      expect(hiddenOf(formOf(res.text, 'plan'), 'revision')).toBe('1');
      expect(inputOf(formOf(res.text, 'plan'), 'limit_items')).toContain('value="many"');
      expect(hiddenOf(formOf(res.text, 'rename'), 'revision')).toBe(String(t.platform.tenants.findById(acme.id)?.updated_at));
    });
  });

  it('answers 404 for a tenant that does not exist, by slug or id', async () => {
    expect((await admin.get('/admin/tenants/nobody')).status).toBe(404);
    expect((await admin.get(`/admin/tenants/t${'0'.repeat(24)}`)).status).toBe(404);
    expect((await postForm(admin, '/admin/tenants/nobody/archive', { confirm: 'nobody' })).status).toBe(404);
  });
});

describe('the tenant pages and steps, tried by someone who is not a super admin', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let acme: TenantRecord;
  let globex: TenantRecord;
  let acmeOwner: Agent;

  beforeEach(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform).app;
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    globex = await makeTenant(t.platform, 'globex', 'Globex');
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    acmeOwner = await signIn(app, owner.email);
  });
  afterEach(() => t.cleanup());

  const state = () =>
    [acme, globex].map((x) => ({
      row: t.platform.tenants.findById(x.id),
      members: t.platform.db.all('select * from memberships where tenant_id = ?', [x.id]),
      invitations: t.platform.db.all('select * from invitations where tenant_id = ?', [x.id]),
      file: fs.existsSync(tenantPaths(t.dataDir, x.id).database),
    }));

  it('gets the same 404 as for a page that does not exist, for its own tenant and another, and nothing changes', async () => {
    const before = state();
    const unknown = await acmeOwner.get('/admin/nothing-here');
    for (const target of ['acme', 'globex', globex.id]) {
      const page = await acmeOwner.get(`/admin/tenants/${target}`);
      expect(page.status).toBe(404);
      expect(page.text).toBe(unknown.text);
      for (const [step, body] of [
        ['suspend', { reason: 'x' }],
        ['archive', { confirm: target }],
        ['purge', { confirm: target }],
        ['discard', { confirm: target }],
        ['restore', {}],
        ['retry', {}],
        ['recover', {}],
        ['owners', { email: 'me@evil.test' }],
      ] as const) {
        const res = await postForm(acmeOwner, `/admin/tenants/${target}/${step}`, body as Record<string, string>);
        expect({ target, step, status: res.status }).toEqual({ target, step, status: 404 });
      }
    }
    for (const path of ['/admin', '/admin/tenants', '/admin/tenants?status=active']) expect((await acmeOwner.get(path)).status).toBe(404);
    expect(state()).toEqual(before);
  });
});
