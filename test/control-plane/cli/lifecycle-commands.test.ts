import fs from 'node:fs';
import path from 'node:path';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { inTenant, makeItem, tenantContent } from '../../support/content';
import { damage } from '../../support/damage';
import { saveTenantSettings } from '../../../workspace/settings/tenant-settings';
import { auditOf } from '../../support/team';
import { outboxMails } from '../../support/outbox';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { provisionDeps, provisionTenant, DEFAULT_STEPS } from '../../../control-plane/provisioning/provision-tenant';
import { cliTestPlatform } from '../../support/cli-runner';

const DAY = 24 * 3600_000;

describe('tenantry tenants: the lifecycle', () => {
  const { t, tenantry } = cliTestPlatform();

  const row = (slug: string) => t.platform.tenants.findBySlug(slug);
  const byId = (id: string) => t.platform.tenants.findById(id);
  const history = (id: string) =>
    t.platform.db.connection().prepare('select action, from_status, to_status, reason from tenant_status_history where tenant_id = ? order by id').all(id);

  describe('suspend and resume', () => {
    it('suspends with a reason and an end date, recorded in the history and in both audit trails', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      const run = await tenantry(['tenants', 'suspend', 'acme', '--reason', 'Invoice 2024-117 unpaid', '--until', '2099-01-31 08:00']);
      expect(run).toEqual({ code: 0, stdout: 'Tenant acme is now suspended until 2099-01-31 08:00 UTC.\n', stderr: '' });
      expect(row('acme')).toMatchObject({ status: 'suspended', status_reason: 'Invoice 2024-117 unpaid', status_until: Date.UTC(2099, 0, 31, 8) });
      expect(history(acme.id).at(-1)).toEqual({ action: 'suspend', from_status: 'active', to_status: 'suspended', reason: 'Invoice 2024-117 unpaid' });
      const [audit] = auditOf(t.platform, 'tenant.suspend');
      expect(audit).toMatchObject({ tenant_id: acme.id, target_id: acme.id });
      expect(JSON.parse(audit.after ?? '{}')).toEqual({ status: 'suspended', reason: 'Invoice 2024-117 unpaid', until: '2099-01-31T08:00:00.000Z' });
    });

    it.each([
      [['--reason', ' '], /^error: --reason must not be empty\n$/],
      [['--reason', 'x', '--until', 'someday'], /--until must be a date/],
      [['--reason', 'x', '--until', '2001-01-01'], /--until must be in the future/],
      [['--reason', 'x', '--until', '2099-02-30'], /--until must be a date/],
    ])('refuses %j with exit code 2 and changes nothing', async (args, message) => {
      await makeTenant(t.platform, 'acme');
      const run = await tenantry(['tenants', 'suspend', 'acme', ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(row('acme')?.status).toBe('active');
    });

    it.each([
      [['--reason', 'Unpaid', '--until', ''], 'error: --until must not be empty\n'],
      [['--reason', 'Unpaid', '--until', '  '], 'error: --until must not be empty\n'],
      [['--reason', ''], 'error: --reason must not be empty\n'],
    ])('refuses %j as given empty, not as "no end date" (exit 2), and changes nothing', async (args, message) => {
      await makeTenant(t.platform, 'acme');
      const run = await tenantry(['tenants', 'suspend', 'acme', ...args]);
      expect(run).toEqual({ code: 2, stdout: '', stderr: message });
      expect(row('acme')).toMatchObject({ status: 'active', status_until: null });
    });

    it('resumes by itself once its end date has come, on the next command that touches tenants', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      await tenantry(['tenants', 'suspend', 'acme', '--reason', 'Maintenance', '--until', '2099-01-01']);
      t.platform.db.run('update tenants set status_until = ? where id = ?', [Date.now() - 1000, acme.id]);
      expect((await tenantry(['tenants', 'list', '--json'])).code).toBe(0);
      expect(byId(acme.id)).toMatchObject({ status: 'active', status_reason: 'its suspension ended', status_until: null });
      expect(history(acme.id).at(-1)).toEqual({ action: 'resume', from_status: 'suspended', to_status: 'active', reason: 'its suspension ended' });
    });
  });

  describe('archive, restore and purge', () => {
    it('asks for --yes before archiving, and changes nothing without it', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      const run = await tenantry(['tenants', 'archive', 'acme']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('error: Archiving acme takes it offline for all its members. Run the command again with --yes to confirm.\n');
      expect(row('acme')?.status).toBe('active');
      expect(fs.existsSync(tenantPaths(t.dataDir, acme.id).database)).toBe(true);
    });

    it.each([
      ['\u001b[2J', 'error: --reason must not contain control characters\n'],
      ['', 'error: --reason must not be empty\n'],
    ])('refuses the archive note %j naming --reason (exit 2), and changes nothing', async (reason, message) => {
      await makeTenant(t.platform, 'acme');
      const run = await tenantry(['tenants', 'archive', 'acme', '--yes', '--reason', reason]);
      expect(run).toEqual({ code: 2, stdout: '', stderr: message });
      expect(row('acme')?.status).toBe('active');
    });

    it('moves the folder out of the live tree, restorable for ARCHIVE_RETENTION_DAYS, and closes its handle', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      await t.platform.router.acquire(acme.id).then((lease) => lease.release());
      expect(t.platform.router.isOpen(acme.id)).toBe(true);
      const before = Date.now();
      const run = await tenantry(['tenants', 'archive', 'acme', '--reason', 'Contract ended', '--yes'], { env: { ARCHIVE_RETENTION_DAYS: '10' } });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`its files are in ${tenantPaths(t.dataDir, acme.id, 'archive').dir}`);
      expect(fs.existsSync(tenantPaths(t.dataDir, acme.id).dir)).toBe(false);
      expect(fs.existsSync(tenantPaths(t.dataDir, acme.id, 'archive').database)).toBe(true);
      const archived = byId(acme.id)!;
      expect(archived).toMatchObject({ status: 'archived', status_reason: 'Contract ended', pending_operation: null });
      expect(archived.status_until).toBeGreaterThanOrEqual(before + 10 * DAY);
      expect(archived.status_until).toBeLessThan(before + 11 * DAY);
      // The CLI is another process as far as the server's cache knows: it notices within a second.
      (t.platform.access as unknown as { checkedAt: number }).checkedAt = 0;
      expect(t.platform.access.tenantBySlug('acme')?.status).toBe('archived');
      expect(t.platform.router.isOpen(acme.id)).toBe(false);
    });

    it('restores everything as it was: files, content, members, roles and a suspension with its reason', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      const owner = await makeUser(t.platform);
      await addMember(t.platform, owner, acme, 'owner');
      await makeItem(t.platform, acme, { title: 'Kept through the archive' });
      const content = await tenantContent(t.platform, acme);
      t.platform.router.closeAll();
      await tenantry(['tenants', 'suspend', 'acme', '--reason', 'Unpaid', '--until', '2099-05-01']);
      expect((await tenantry(['tenants', 'archive', 'acme', '--yes'])).code).toBe(0);

      const run = await tenantry(['tenants', 'restore', 'acme']);
      expect(run).toEqual({ code: 0, stdout: 'Tenant acme is restored and suspended.\n', stderr: '' });
      expect(byId(acme.id)).toMatchObject({ status: 'suspended', status_reason: 'Unpaid', status_until: Date.UTC(2099, 4, 1), pending_operation: null });
      expect(fs.existsSync(tenantPaths(t.dataDir, acme.id, 'archive').dir)).toBe(false);
      expect(t.platform.memberships.findActive(owner.id, acme.id)?.role_key).toBe('owner');
      await tenantry(['tenants', 'resume', 'acme']);
      expect(await tenantContent(t.platform, acme)).toEqual(content);
    });

    it('purges an archived tenant with --yes: files gone, a tombstone kept, the slug free for a new tenant', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      const member = await makeUser(t.platform);
      await addMember(t.platform, member, acme, 'editor');
      await tenantry(['tenants', 'archive', 'acme', '--yes']);
      const refused = await tenantry(['tenants', 'purge', 'acme']);
      expect(refused.code).toBe(2);
      expect(fs.existsSync(tenantPaths(t.dataDir, acme.id, 'archive').dir)).toBe(true);

      const run = await tenantry(['tenants', 'purge', 'acme', '--yes']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('the slug acme is free');
      expect(fs.existsSync(tenantPaths(t.dataDir, acme.id, 'archive').dir)).toBe(false);
      expect(byId(acme.id)).toMatchObject({ slug: 'acme', status: 'purged', created_at: acme.created_at });
      expect(t.platform.memberships.findActive(member.id, acme.id)).toBeUndefined();
      expect(auditOf(t.platform, 'tenant.purge')).toHaveLength(1);

      expect((await tenantry(['tenants', 'create', '--name', 'New Acme', '--slug', 'acme'])).code).toBe(0);
      expect(row('acme')).toMatchObject({ status: 'active', name: 'New Acme' });
      expect(row('acme')?.id).not.toBe(acme.id);
      const tombstones = JSON.parse((await tenantry(['tenants', 'list', '--status', 'purged', '--json'])).stdout);
      expect(tombstones).toEqual([expect.objectContaining({ id: acme.id, slug: 'acme', status: 'purged' })]);
    });

    it('purges an archive by itself once its restore window has passed', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      await tenantry(['tenants', 'archive', 'acme', '--yes']);
      t.platform.db.run('update tenants set status_until = ? where id = ?', [Date.now() - 1, acme.id]);
      await tenantry(['tenants', 'list']);
      expect(byId(acme.id)?.status).toBe('purged');
      expect(fs.existsSync(tenantPaths(t.dataDir, acme.id, 'archive').dir)).toBe(false);
      expect(history(acme.id).at(-1)).toMatchObject({ action: 'purge', reason: 'its restore window ended' });
    });

    it.each([
      [['tenants', 'purge', 'acme', '--yes'], 'error: Tenant acme is active; only an archived tenant can be purged.\n'],
      [['tenants', 'resume', 'acme'], 'error: Tenant acme is active; it cannot be resumed.\n'],
      [['tenants', 'discard', 'acme', '--yes'], 'error: Tenant acme is active; only a failed tenant can be discarded.\n'],
    ])('refuses %j on an active tenant with exit code 1 and changes nothing', async (args, message) => {
      const acme = await makeTenant(t.platform, 'acme');
      const run = await tenantry(args);
      expect(run).toEqual({ code: 1, stdout: '', stderr: message });
      expect(byId(acme.id)).toMatchObject({ status: 'active', pending_operation: null });
      expect(fs.existsSync(tenantPaths(t.dataDir, acme.id).database)).toBe(true);
      expect(history(acme.id)).toEqual([expect.objectContaining({ action: 'activate' })]);
    });
    it('restores an active tenant only from a backup: without one it says so (exit 2) and changes nothing', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      const run = await tenantry(['tenants', 'restore', 'acme']);
      expect(run).toEqual({ code: 2, stdout: '', stderr: 'error: Tenant acme has no verified backup to restore.\n' });
      expect(byId(acme.id)).toMatchObject({ status: 'active', pending_operation: null });
      expect(history(acme.id)).toEqual([expect.objectContaining({ action: 'activate' })]);
    });

    it('refuses to restore an archived tenant from a backup: it comes back from its archive first', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      await tenantry(['tenants', 'archive', 'acme', '--yes']);
      const run = await tenantry(['tenants', 'restore', 'acme', '--from', '20990101T000000000Z']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Tenant acme is archived');
      expect(byId(acme.id)).toMatchObject({ status: 'archived', pending_operation: null });
    });
  });

  describe('failed tenants', () => {
    const failOnce = async (slug: string) => {
      const steps = DEFAULT_STEPS.map((step) => (step.name === 'seed-tenant' ? { name: step.name, run: () => Promise.reject(new Error('disk full')) } : step));
      await provisionTenant(provisionDeps(t.platform, { steps, ownerEmail: 'boss@acme.test' }), { slug, name: 'Acme' }).catch(() => undefined);
      return row(slug)!;
    };

    it('retries a failed tenant with its slug, name and owner', async () => {
      const boss = await makeUser(t.platform, { email: 'boss@acme.test' });
      const failed = await failOnce('acme');
      expect(failed).toMatchObject({ status: 'failed', failure_reason: 'seed-tenant: disk full', pending_owner_email: 'boss@acme.test' });
      const run = await tenantry(['tenants', 'retry', 'acme']);
      expect(run.stdout).toBe('Tenant acme is now active.\nOwner: boss@acme.test (existing account) was added as owner.\n');
      expect(byId(failed.id)).toMatchObject({ status: 'active', failure_reason: null, pending_owner_email: null });
      expect(t.platform.memberships.findActive(boss.id, failed.id)?.role_key).toBe('owner');
    });

    it("mails a new owner's invitation once when the retry makes the tenant active, and prints its link", async () => {
      await failOnce('acme');
      const run = await tenantry(['tenants', 'retry', 'acme']);
      expect(run.code).toBe(0);
      const link =
        /Owner invitation for boss@acme\.test, expires \d{4}-\d\d-\d\d \d\d:\d\d UTC \(written to \S+outbox: no SMTP_URL is set, so no mail goes out\)\.\nThis link is shown once and is not stored; send it to the owner now:\n {2}(http:\/\/localhost:3000\/invitations\/[\w-]{20,})/.exec(
          run.stdout,
        )?.[1];
      expect(link).toBeDefined();
      const mails = outboxMails(t.dataDir).filter((m) => m.to === 'boss@acme.test');
      expect(mails).toHaveLength(1);
      expect(mails[0].text).toContain(link);
    });

    it('discards a failed tenant with --yes, freeing its slug', async () => {
      const failed = await failOnce('acme');
      expect((await tenantry(['tenants', 'create', '--name', 'X', '--slug', 'acme'])).stderr).toBe('error: --slug is already taken\n');
      expect((await tenantry(['tenants', 'discard', 'acme'])).code).toBe(2);
      expect((await tenantry(['tenants', 'discard', 'acme', '--yes'])).code).toBe(0);
      expect(byId(failed.id)?.status).toBe('purged');
      expect((await tenantry(['tenants', 'create', '--name', 'X', '--slug', 'acme'])).code).toBe(0);
    });
  });

  describe('add-owner', () => {
    it('makes an existing account owner at once, in the audit trail', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      const user = await makeUser(t.platform, { email: 'boss@acme.test' });
      await addMember(t.platform, user, acme, 'viewer');
      const run = await tenantry(['tenants', 'add-owner', 'acme', '--email', 'Boss@Acme.test']);
      expect(run).toEqual({ code: 0, stdout: 'boss@acme.test is now an owner of acme (was Viewer).\n', stderr: '' });
      expect(t.platform.memberships.findActive(user.id, acme.id)?.role_key).toBe('owner');
      expect(auditOf(t.platform, 'membership.add').at(-1)).toMatchObject({ tenant_id: acme.id, target_id: user.id, before: '{"role":"viewer"}' });
      const again = await tenantry(['tenants', 'add-owner', 'acme', '--email', 'boss@acme.test']);
      expect(again.stdout).toBe('boss@acme.test is already an owner of acme; nothing changed.\n');
    });

    it('sends a new address an owner invitation, printed once and mailed; a second one replaces the lost link', async () => {
      await makeTenant(t.platform, 'acme');
      const first = JSON.parse((await tenantry(['tenants', 'add-owner', 'acme', '--email', 'new@acme.test', '--json'])).stdout);
      expect(first).toMatchObject({ tenant: 'acme', owner_added: null, invitation: { email: 'new@acme.test', mailed: true } });
      const second = JSON.parse((await tenantry(['tenants', 'add-owner', 'acme', '--email', 'new@acme.test', '--json'])).stdout);
      expect(second.invitation.url).not.toBe(first.invitation.url);
      const states = t.platform.db.all<{ state: string }>('select state from invitations order by created_at, id');
      expect(states.map((s) => s.state).sort()).toEqual(['pending', 'revoked']);
      const outbox = fs.readdirSync(path.join(t.dataDir, 'outbox'));
      expect(outbox).toHaveLength(2);
    });

    it('says in words when the owner invitation could not be mailed, as tenants create does, and still prints its link', async () => {
      await makeTenant(t.platform, 'acme');
      const smtpDown = { env: { SMTP_URL: 'smtp://127.0.0.1:1' } };
      const run = await tenantry(['tenants', 'add-owner', 'acme', '--email', 'new@acme.test'], smtpDown);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain('(mailed)');
      expect(run.stdout).toContain('The invitation could not be mailed: send the link yourself.');
      expect(run.stdout).toMatch(/^ {2}http:\/\/localhost:3000\/invitations\/[\w-]{20,}$/m);
      const json = JSON.parse((await tenantry(['tenants', 'add-owner', 'acme', '--email', 'new@acme.test', '--json'], smtpDown)).stdout);
      expect(json.invitation).toMatchObject({ email: 'new@acme.test', mailed: false });
    });

    it("mails the owner invitation under the workspace's display name, naming neither the console's name for it nor the product", async () => {
      const brand = await makeTenant(t.platform, 'brand', 'Brand (internal billing name)');
      t.platform.tenants.keepSettingsCopies(brand.id, { displayName: 'Brand Studio', language: 'en' });
      expect((await tenantry(['tenants', 'add-owner', 'brand', '--email', 'new@brand.test'])).code).toBe(0);
      const [mail] = outboxMails(t.dataDir);
      expect(mail.from).toBe('Brand Studio <no-reply@localhost>');
      expect(mail.subject).toBe('Someone invited you to Brand Studio');
      expect(mail.text).toContain('join Brand Studio as Owner.');
      expect(`${mail.subject}\n${mail.text}`).not.toMatch(/internal billing|Tenantry/);
    });

    it("mails the owner invitation in the workspace's language and time zone, and another workspace's settings change nothing", async () => {
      const french = await makeTenant(t.platform, 'french', 'Atelier');
      const english = await makeTenant(t.platform, 'english', 'Workshop');
      await inTenant(t.platform, french, (db) => saveTenantSettings(db, { language: 'fr', timeZone: 'Europe/Paris' }));
      expect((await tenantry(['tenants', 'add-owner', 'french', '--email', 'new@french.test'])).code).toBe(0);
      expect((await tenantry(['tenants', 'add-owner', 'english', '--email', 'new@english.test'])).code).toBe(0);
      const mails = outboxMails(t.dataDir);
      const toFrench = mails.find((m) => m.to === 'new@french.test');
      expect(toFrench?.subject).toBe("Quelqu'un vous invite à rejoindre Atelier");
      expect(toFrench?.text).toContain('(Europe/Paris)');
      const toEnglish = mails.find((m) => m.to === 'new@english.test');
      expect(toEnglish?.subject).toBe('Someone invited you to Workshop');
      expect(toEnglish?.text).toContain('(UTC)');
      expect(english.id).not.toBe(french.id);
    });

    it("still invites, in the default language, when the workspace's file cannot be read", async () => {
      const broken = await makeTenant(t.platform, 'broken', 'Broken Ltd');
      damage(t.platform, broken, 'a garbage file');
      const run = await tenantry(['tenants', 'add-owner', 'broken', '--email', 'new@broken.test', '--json']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ invitation: { email: 'new@broken.test', mailed: true } });
      expect(outboxMails(t.dataDir).find((m) => m.to === 'new@broken.test')?.subject).toBe('Someone invited you to Broken Ltd');
    });

    it.each([
      [['tenants', 'add-owner', 'nobody', '--email', 'a@b.test'], 2, 'error: No tenant with slug "nobody".\n'],
      [['tenants', 'add-owner', 'acme', '--email', 'not-an-email'], 2, 'error: --email must be a valid email address\n'],
    ])('refuses %j and changes nothing', async (args, code, message) => {
      await makeTenant(t.platform, 'acme');
      const run = await tenantry(args as string[]);
      expect(run).toEqual({ code, stdout: '', stderr: message });
      expect(t.platform.db.all('select * from invitations')).toEqual([]);
    });

    it('refuses an account that is not a member yet when the plan has no room for another member, and changes nothing', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      await addMember(t.platform, await makeUser(t.platform), acme, 'owner');
      await tenantry(['tenants', 'set-limits', 'acme', '--limit', 'members=1']);
      const outsider = await makeUser(t.platform, { email: 'new-boss@acme.test' });
      const added = auditOf(t.platform, 'membership.add').length;
      const run = await tenantry(['tenants', 'add-owner', 'acme', '--email', 'new-boss@acme.test']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Limit reached: Members. This workspace uses 1 of 1.');
      expect(run.stderr).toContain('tenantry tenants set-limits');
      expect(t.platform.memberships.findActive(outsider.id, acme.id)).toBeUndefined();
      expect(auditOf(t.platform, 'membership.add')).toHaveLength(added);
    });

    it('makes a member owner at the members limit: a change of role adds nobody', async () => {
      const acme = await makeTenant(t.platform, 'acme');
      const viewer = await makeUser(t.platform, { email: 'viewer@acme.test' });
      await addMember(t.platform, viewer, acme, 'viewer');
      await tenantry(['tenants', 'set-limits', 'acme', '--limit', 'members=1']);
      const run = await tenantry(['tenants', 'add-owner', 'acme', '--email', 'viewer@acme.test']);
      expect(run).toEqual({ code: 0, stdout: 'viewer@acme.test is now an owner of acme (was Viewer).\n', stderr: '' });
      expect(t.platform.memberships.findActive(viewer.id, acme.id)?.role_key).toBe('owner');
    });

    it('refuses an archived tenant: it must be restored first', async () => {
      await makeTenant(t.platform, 'acme');
      await tenantry(['tenants', 'archive', 'acme', '--yes']);
      const run = await tenantry(['tenants', 'add-owner', 'acme', '--email', 'a@b.test']);
      expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: Tenant acme is archived; owners are added to live tenants only.\n' });
    });
  });
});
