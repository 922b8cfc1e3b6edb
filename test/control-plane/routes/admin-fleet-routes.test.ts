import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, postForm, signIn, type Agent } from '../../support/http-agent';
import { addItem, fillTenant, itemTitles } from '../../support/tenant-data';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { listBackups } from '../../../control-plane/backups/list-backups';
import { BackupStateRepository } from '../../../control-plane/backups/backup-state';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { FLEET_PAGE_ROWS, loadFleetPage } from '../../../control-plane/pages/fleet-page';
import { suspendTenant } from '../../../control-plane/lifecycle/suspend-tenant';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import { describeFileSystem, fileSystemOf } from '../../../core/fs/file-system-of';
import { pruneBackups } from '../../../control-plane/backups/prune-backups';
import { accessibilityFaults } from '../../support/page-accessibility';
import { takeOffline } from '../../../control-plane/backups/take-offline';

describe('super-admin fleet pages', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let admin: Agent;
  let adminId: string;
  let owner: Agent;
  let acme: TenantRecord;
  let backupId: string;

  beforeEach(async () => {
    t = await createTestPlatform({ BACKUP_SCHEDULE: '15 3 * * *' });
    app = createApp(t.platform).app;
    const su = await makeUser(t.platform, { superAdmin: true });
    adminId = su.id;
    admin = await signIn(app, su.email);
    acme = await makeTenant(t.platform, 'acme', 'Acme Studio');
    await makeTenant(t.platform, 'globex');
    await fillTenant(t, acme);
    const ownerUser = await makeUser(t.platform);
    await addMember(t.platform, ownerUser, acme, 'owner');
    owner = await signIn(app, ownerUser.email);
    backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
  });
  afterEach(() => t.cleanup());

  it('answers 404 to anyone but a super admin, tenant owners included, and sends the signed-out to sign in', async () => {
    const pages = ['/admin/fleet', '/admin/fleet/health.json', '/admin/tenants/acme/backups', `/admin/tenants/acme/backups/${backupId}/manifest.json`];
    for (const page of pages) expect([page, (await owner.get(page)).status]).toEqual([page, 404]);
    for (const action of ['/admin/tenants/acme/backups', `/admin/tenants/acme/backups/${backupId}/restore`, '/admin/tenants/acme/clone']) {
      expect([action, (await postForm(owner, action, { confirm: 'acme', slug: 'acme-2' })).status]).toEqual([action, 404]);
    }
    expect(listBackups(t.platform, acme.id)).toHaveLength(1);
    expect(t.platform.tenants.findBySlug('acme-2')).toBeUndefined();
    expect((await request(app).get('/admin/fleet')).headers.location).toBe('/login?next=%2Fadmin%2Ffleet');
  });

  it("shows free space, each tenant's migration and backup state and the schedule on /admin/fleet", async () => {
    const globex = t.platform.tenants.findBySlug('globex')!;
    t.platform.tenants.setSchemaVersion(globex.id, '0010-create-attachments');
    new BackupStateRepository(t.platform.db).failed(globex.id, 'The database of globex is missing');

    const res = await admin.get('/admin/fleet');

    expect(res.status).toBe(200);
    expect(res.text).toContain('<code>DATA_DIR</code>');
    expect(res.text).toContain('<code>BACKUP_DIR</code>');
    expect(res.text).toMatch(/<strong>1<\/strong> current, <strong>1<\/strong> behind/);
    expect(res.text).toContain('The database of globex is missing');
    expect(res.text).toContain('<code>15 3 * * *</code>');
    // Tenants needing attention come first.
    expect(res.text.indexOf('<code>globex</code>')).toBeLessThan(res.text.indexOf('<code>acme</code>'));
    // The file system DATA_DIR is on, as this machine reports it.
    expect(res.text).toContain(`<code>DATA_DIR</code> is on ${describeFileSystem(fileSystemOf(t.dataDir)!)}.`);
  });

  it("names the time zone the schedule is read in, the server's, on /admin/fleet and the backups page, beside the next run in UTC", async () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const fleet = await admin.get('/admin/fleet');
    expect(fleet.text).toContain(`<code>15 3 * * *</code> in the server's time zone (${zone}), next run `);
    const backups = await admin.get('/admin/tenants/acme/backups');
    expect(backups.text).toContain(`<code>15 3 * * *</code> (server time zone ${zone}), next `);
  });

  it('shows on /admin/fleet and the backups page a backup that was kept while pruning after it failed, not as a failed backup', async () => {
    new BackupStateRepository(t.platform.db).pruneFailed(acme.id, 'EACCES: permission denied');

    const fleet = await admin.get('/admin/fleet');
    expect(fleet.text).toContain('0 tenant(s) whose last backup failed');
    expect(fleet.text).toContain('<strong class="warn">1 whose older backups could not be removed</strong>');
    expect(fleet.text).toContain('<strong class="warn">older backups not removed:</strong> <small>EACCES: permission denied</small>');
    expect(fleet.text).not.toContain('<strong class="warn">failed:</strong>');
    const backups = await admin.get('/admin/tenants/acme/backups');
    expect(backups.text).toContain('was taken and kept, but removing older backups by the retention policy failed: EACCES: permission denied');
    expect(backups.text).not.toContain('The last backup attempt');
  });

  it('counts a tenant found damaged after its last backup on /admin/fleet, and lists it first', async () => {
    await backupFleet(t.platform, { slugs: ['globex'], trigger: 'cli' });
    t.platform.health.reportDamaged(t.platform.tenants.findBySlug('globex')!.id, 'file is not a database', 'a request');

    expect(loadFleetPage(t.platform)).toMatchObject({ damaged: 1, backupProblems: 0, staleBackups: 0 });
    const res = await admin.get('/admin/fleet');
    expect(res.text).toContain('<strong class="warn">1 damaged</strong>');
    expect(res.text.indexOf('<code>globex</code>')).toBeLessThan(res.text.indexOf('<code>acme</code>'));
  });

  it('warns on the fleet page of a DATA_DIR on ext4 without a journal, and only then', () => {
    const noJournal = loadFleetPage(t.platform, { readFileSystem: () => ({ mountPoint: '/', type: 'ext4', source: '/dev/vda', journal: false }) });
    expect(noJournal.fileSystem).toBe('ext4 without a journal (/dev/vda at /)');
    expect(noJournal.fileSystemAdvice).toContain('DATA_DIR is on ext4 without a journal (/dev/vda at /)');

    const journaled = loadFleetPage(t.platform, { readFileSystem: () => ({ mountPoint: '/srv', type: 'ext4', source: '/dev/sdb1', journal: true }) });
    expect(journaled.fileSystem).toBe('ext4 with a journal (/dev/sdb1 at /srv)');
    expect(journaled.fileSystemAdvice).toBeUndefined();

    expect(loadFleetPage(t.platform, { readFileSystem: () => undefined })).toMatchObject({ fileSystem: undefined, fileSystemAdvice: undefined });
  });

  describe('over more tenants than a page holds', () => {
    /** Tenant rows alone (the fleet page opens no tenant file): 501 more, so 503 live tenants. */
    beforeEach(() => {
      t.platform.db.write(() => {
        for (let i = 0; i < FLEET_PAGE_ROWS + 1; i++) {
          t.platform.tenants.insert({
            id: `t${String(i).padStart(24, 'f')}`,
            slug: `fleet-${String(i).padStart(4, '0')}`,
            name: `Fleet ${i}`,
            status: 'active',
          });
        }
      });
    });

    it('pages the tenants of /admin/fleet, those needing attention first, with Next and Previous links', async () => {
      const first = await admin.get('/admin/fleet');
      expect(first.status).toBe(200);
      expect(first.text).toContain(`503 tenant(s)`);
      expect(first.text).toContain(`1–${FLEET_PAGE_ROWS} are shown`);
      expect(first.text.match(/\/backups">Backups<\/a>/g)).toHaveLength(FLEET_PAGE_ROWS);
      expect(first.text).toContain('<a href="/admin/fleet?page=2" rel="next">Next</a>');
      // Never migrated nor backed up, the new rows need attention; acme (current, backed up) is last.
      expect(first.text).toContain('<code>fleet-0000</code>');
      expect(first.text).not.toContain('<code>acme</code>');

      const second = await admin.get('/admin/fleet?page=2');
      expect(second.status).toBe(200);
      expect(second.text.match(/\/backups">Backups<\/a>/g)).toHaveLength(3);
      expect(second.text).toContain(`${FLEET_PAGE_ROWS + 1}–503 are shown`);
      expect(second.text).toContain('<a href="/admin/fleet" rel="prev">Previous</a>');
      expect(second.text).not.toContain('rel="next"');
      expect(second.text.indexOf('<code>fleet-0500</code>')).toBeLessThan(second.text.indexOf('<code>acme</code>'));
      // The counts stay those of the whole fleet.
      expect(second.text).toMatch(/<strong>2<\/strong> current, <strong>501<\/strong> behind/);

      expect((await admin.get('/admin/fleet?page=0')).status).toBe(400);
    });

    it.each(['0x2', '2e0', '%202', '%2B2', '02'])('refuses the page number %s, which only looks like 2, rather than showing page 2', async (page) => {
      const res = await admin.get(`/admin/fleet?page=${page}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('must be a page number');
    });

    it('reads from the control plane no more rows than the page shows: no row of a tenant on another page', async () => {
      const all = jest.spyOn(t.platform.db, 'all');
      try {
        expect((await admin.get('/admin/fleet?page=2')).status).toBe(200);
        const rowsRead = all.mock.results.map((r) => (r.value as unknown[]).length);
        expect(Math.max(...rowsRead)).toBeLessThanOrEqual(3);
      } finally {
        all.mockRestore();
      }
    });
  });

  it('gives operators the disk details as JSON', async () => {
    const res = await admin.get('/admin/fleet/health.json');
    expect(res.body).toMatchObject({
      ok: true,
      disks: [
        { name: 'DATA_DIR', dir: t.dataDir, low: false },
        { name: 'BACKUP_DIR', low: false },
      ],
    });
    expect(res.body.disks[0].free_bytes).toBeGreaterThan(0);
  });

  it("lists a tenant's backups with size, verification and their manifest, with a link to the tenant's page", async () => {
    const page = await admin.get('/admin/tenants/acme/backups');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="/admin/tenants/acme">Tenant</a>');
    expect(page.text).toContain(backupId);
    expect(page.text).toMatch(/<td>yes<\/td>/);

    const manifest = await admin.get(`/admin/tenants/acme/backups/${backupId}/manifest.json`);
    expect(manifest.body).toMatchObject({ backup_id: backupId, tenant: { id: acme.id }, integrity: 'ok' });
    expect((await admin.get('/admin/tenants/acme/backups/..%2F..%2Fsecrets.json/manifest.json')).status).toBe(404);
    expect((await admin.get('/admin/tenants/globex/backups/' + backupId + '/manifest.json')).status).toBe(404);
    expect((await admin.get('/admin/tenants/nope/backups')).status).toBe(404);
  });

  it('backs up now, and audits who did it', async () => {
    const res = await postForm(admin, '/admin/tenants/acme/backups', {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/tenants/acme/backups?notice=backed-up');
    expect(listBackups(t.platform, acme.id)).toHaveLength(2);
    const audit = t.platform.db.all<{ tenant_id: string; actor_user_id: string; after: string }>(
      "select tenant_id, actor_user_id, after from audit_events where action = 'tenant.backup'",
    );
    expect(audit).toEqual([{ tenant_id: acme.id, actor_user_id: adminId, after: expect.stringContaining(listBackups(t.platform, acme.id)[0].id) }]);
    expect((await admin.get(res.headers.location)).text).toContain('Backup taken and verified.');
  });

  it('answers a backup asked for while a restore has the tenant offline (409) on its backups page, saying so and when to ask again, backing up nothing', async () => {
    takeOffline(t.platform, acme.id, { actorUserId: null, reason: 'restore', auditAction: 'tenant.restore' });
    const res = await postForm(admin, '/admin/tenants/acme/backups', {});
    expect(res.status).toBe(409);
    expect(res.text).toContain('<h1>Backups of Acme Studio</h1>');
    expect(res.text).toContain('<p>Tenant acme is in maintenance: a restore of it is running. Back it up once the restore has ended.</p>');
    expect(listBackups(t.platform, acme.id)).toHaveLength(1);
    expect(t.platform.db.all("select id from audit_events where action = 'tenant.backup'")).toEqual([]);
  });

  it('offers to back up now only a tenant whose status allows a backup', async () => {
    const backUpNow = '<form method="post" action="/admin/tenants/acme/backups"';
    expect((await admin.get('/admin/tenants/acme/backups')).text).toContain(backUpNow);
    suspendTenant(t.platform, acme.id, { reason: 'Unpaid' }, CLI_OPERATOR);
    expect((await admin.get('/admin/tenants/acme/backups')).text).toContain(backUpNow);
    await archiveTenant(t.platform, acme.id, { confirm: 'acme' }, CLI_OPERATOR);
    const archived = await admin.get('/admin/tenants/acme/backups');
    expect(archived.status).toBe(200);
    expect(archived.text).not.toContain(backUpNow);
    expect(archived.text).toContain('Only active and suspended tenants are backed up; this one is archived.');
  });

  it('restores only after the slug is typed, and audits who did it', async () => {
    await addItem(t, acme, 'after the backup');

    const wrong = await postForm(admin, `/admin/tenants/acme/backups/${backupId}/restore`, { confirm: 'globex' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('must be the tenant&#39;s slug (acme) to confirm the restore');
    expect(itemTitles(t.dataDir, acme.id)).toContain('after the backup');

    const res = await postForm(admin, `/admin/tenants/acme/backups/${backupId}/restore`, { confirm: 'acme' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/tenants/acme/backups?notice=restored');
    expect(itemTitles(t.dataDir, acme.id)).not.toContain('after the backup');
    const audit = t.platform.db.get<{ actor_user_id: string }>("select actor_user_id from audit_events where action = 'tenant.restore'");
    expect(audit?.actor_user_id).toBe(adminId);
  });

  for (const [when, twice] of [
    ['at once', <T>(send: () => Promise<T>) => Promise.all([send(), send()])],
    ['one after the other', async <T>(send: () => Promise<T>) => [await send(), await send()]],
  ] as const) {
    it(`restores once when the restore is sent twice ${when}, so the state it replaced stays the pre-restore backup the next prune keeps`, async () => {
      await addItem(t, acme, 'after the backup');
      const _csrf = await csrfFrom(admin, '/admin/tenants/acme/backups');
      const send = () => admin.post(`/admin/tenants/acme/backups/${backupId}/restore`).type('form').send({ confirm: 'acme', _csrf });
      const answers = await twice(send);
      expect(answers.map((a) => [a.status, a.headers.location])).toEqual([
        [303, '/admin/tenants/acme/backups?notice=restored'],
        [303, '/admin/tenants/acme/backups?notice=restored'],
      ]);
      expect(itemTitles(t.dataDir, acme.id)).not.toContain('after the backup');
      expect(t.platform.db.all("select id from audit_events where action = 'tenant.restore'")).toHaveLength(1);
      const preRestore = listBackups(t.platform, acme.id).filter((b) => b.kind === 'pre-restore');
      expect(preRestore).toHaveLength(1);
      pruneBackups(t.platform.config, acme.id);
      expect(listBackups(t.platform, acme.id).map((b) => b.id)).toContain(preRestore[0].id);
    });
  }

  it('restores again when the same restore is sent long after, or another backup is restored', async () => {
    const _csrf = await csrfFrom(admin, '/admin/tenants/acme/backups');
    const send = (id: string) => admin.post(`/admin/tenants/acme/backups/${id}/restore`).type('form').send({ confirm: 'acme', _csrf });
    await send(backupId);
    t.platform.db.run('update tenant_status_history set created_at = created_at - 60000');
    await addItem(t, acme, 'after the first restore');
    expect((await send(backupId)).status).toBe(303);
    expect(itemTitles(t.dataDir, acme.id)).not.toContain('after the first restore');
    const other = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    expect((await send(other)).status).toBe(303);
    expect(t.platform.db.all("select id from audit_events where action = 'tenant.restore'")).toHaveLength(3);
  });

  it('says once, ahead of the backups, what the * of every Restore field means, and nothing is wrong with the page for keyboards and screen readers', async () => {
    await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });
    const res = await admin.get('/admin/tenants/acme/backups');
    expect(res.status).toBe(200);
    const note = '<p class="required-note">Fields marked * are required.</p>';
    const restores = [...res.text.matchAll(/<input id="confirm-[^"]+" name="confirm" autocomplete="off" required>/g)];
    expect(restores).toHaveLength(2);
    const table = res.text.indexOf('<table aria-labelledby="backups-title">');
    expect(res.text.slice(0, table).split(note)).toHaveLength(2);
    expect(res.text.slice(table, res.text.indexOf('</table>'))).not.toContain(note);
    expect(accessibilityFaults(res.text, 'en')).toEqual([]);
  });

  it("shows a refused restore with the reason and what was typed at that backup's field", async () => {
    const wrong = await postForm(admin, `/admin/tenants/acme/backups/${backupId}/restore`, { confirm: 'globex' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain(
      `<input id="confirm-${backupId}" name="confirm" autocomplete="off" required value="globex" aria-invalid="true" aria-describedby="confirm-${backupId}-error" autofocus>`,
    );
    expect(wrong.text).toContain(
      `<p class="field-error" id="confirm-${backupId}-error">The slug typed must be the tenant&#39;s slug (acme) to confirm the restore</p>`,
    );
    expect(wrong.text).toContain('<strong>The slug typed</strong>');
  });

  it('clones from the console, and refuses a slug that is taken with the field named', async () => {
    const res = await postForm(admin, '/admin/tenants/acme/clone', { slug: 'acme-training', name: 'Acme training', with_members: 'on' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/tenants/acme-training/backups?notice=cloned');
    const clone = t.platform.tenants.findBySlug('acme-training')!;
    expect(clone).toMatchObject({ name: 'Acme training', status: 'active' });
    expect(t.platform.memberships.listMembers(clone.id)).toHaveLength(1);

    const taken = await postForm(admin, '/admin/tenants/acme/clone', { slug: 'globex' });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('New slug is already taken');
  });

  for (const [when, twice] of [
    ['at once', <T>(send: () => Promise<T>) => Promise.all([send(), send()])],
    ['one after the other', async <T>(send: () => Promise<T>) => [await send(), await send()]],
  ] as const) {
    it(`clones once when the clone is sent twice ${when}, and leads both to the clone, not to "New slug is already taken"`, async () => {
      const _csrf = await csrfFrom(admin, '/admin/tenants/acme/backups');
      const send = () => admin.post('/admin/tenants/acme/clone').type('form').send({ slug: 'acme-training', name: 'Acme training', with_members: 'on', _csrf });
      const answers = await twice(send);
      expect(answers.map((a) => [a.status, a.headers.location])).toEqual([
        [303, '/admin/tenants/acme-training/backups?notice=cloned'],
        [303, '/admin/tenants/acme-training/backups?notice=cloned'],
      ]);
      expect(t.platform.db.all("select id from tenants where slug = 'acme-training'")).toHaveLength(1);
      expect(t.platform.db.all("select id from audit_events where action = 'tenant.clone'")).toHaveLength(1);
    });
  }

  it('still refuses a taken slug for a clone that is not the same: another name, another source, or long after', async () => {
    await postForm(admin, '/admin/tenants/acme/clone', { slug: 'acme-training', name: 'Acme training' });
    expect((await postForm(admin, '/admin/tenants/acme/clone', { slug: 'acme-training', name: 'Another name' })).status).toBe(400);
    expect((await postForm(admin, '/admin/tenants/acme/clone', { slug: 'acme-training', name: 'Acme training', with_members: 'on' })).status).toBe(400);
    expect((await postForm(admin, '/admin/tenants/globex/clone', { slug: 'acme-training', name: 'Acme training' })).status).toBe(400);
    t.platform.db.run("update tenants set created_at = created_at - 60000 where slug = 'acme-training'");
    const late = await postForm(admin, '/admin/tenants/acme/clone', { slug: 'acme-training', name: 'Acme training' });
    expect(late.status).toBe(400);
    expect(late.text).toContain('New slug is already taken');
  });
});
