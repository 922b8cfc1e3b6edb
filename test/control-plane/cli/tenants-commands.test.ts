import fs from 'node:fs';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import { cliTestPlatform } from '../../support/cli-runner';
import { LIST_PAGE_SIZE } from '../../../core/cli/list-part';
import { outboxMails } from '../../support/outbox';
import { startSmtpServer } from '../../support/smtp-server';
import { outboxDir } from '../../../core/mail/mailer';

describe('tenantry tenants', () => {
  const { t, tenantry } = cliTestPlatform();

  const tenantDirs = () => fs.readdirSync(tenantsRoot(t.dataDir)).filter((d) => !d.startsWith('.'));

  describe('create', () => {
    it('provisions an active tenant and prints its id, slug, status and schema version', async () => {
      const run = await tenantry(['tenants', 'create', '--name', 'Acme Inc', '--slug', 'acme']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const tenant = t.platform.tenants.findBySlug('acme');
      expect(tenant).toMatchObject({ name: 'Acme Inc', status: 'active', schema_version: t.platform.tenantSource.latest });
      expect(run.stdout).toContain('Created tenant acme (Acme Inc)');
      expect(run.stdout).toContain(tenant!.id);
      expect(run.stdout).toMatch(/status\s+active/);
      expect(run.stdout).toMatch(new RegExp(`schema version\\s+${t.platform.tenantSource.latest}`));
    });

    it('prints the invitation link once when the owner has no account yet', async () => {
      const run = await tenantry(['tenants', 'create', '--name', 'Acme', '--slug', 'acme', '--owner-email', 'Owner@Acme.test']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Owner invitation for owner@acme.test');
      expect(run.stdout).toMatch(/http:\/\/localhost:3000\/invitations\/[\w-]{20,}/);
    });

    it('writes the new owner one invitation with the link it prints, and says it went to the outbox folder, not by mail, when no SMTP_URL is set', async () => {
      const run = await tenantry(['tenants', 'create', '--name', 'Acme', '--slug', 'acme', '--owner-email', 'owner@acme.test']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        new RegExp(
          `Owner invitation for owner@acme\\.test, expires \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(written to ${outboxDir(t.dataDir)}: no SMTP_URL is set, so no mail goes out\\)\\.\nThis link is shown once and is not stored; send it to the owner now:\n`,
        ),
      );
      expect(run.stdout).not.toContain('(mailed)');
      const link = /http:\/\/localhost:3000\/invitations\/[\w-]{20,}/.exec(run.stdout)?.[0];
      const mails = outboxMails(t.dataDir).filter((m) => m.to === 'owner@acme.test');
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ from: 'Acme <no-reply@localhost>', subject: 'Someone invited you to Acme' });
      expect(mails[0].text).toContain(link);
    });

    it('says the new owner was mailed when an SMTP server took the invitation', async () => {
      const smtp = await startSmtpServer();
      try {
        const run = await tenantry(['tenants', 'create', '--name', 'Acme', '--slug', 'acme', '--owner-email', 'owner@acme.test'], {
          env: { SMTP_URL: smtp.url },
        });
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(
          /Owner invitation for owner@acme\.test, expires \d{4}-\d\d-\d\d \d\d:\d\d UTC \(mailed\)\.\nThis link is shown once and is not stored:\n/,
        );
        expect(smtp.accepted).toEqual(['owner@acme.test']);
      } finally {
        await smtp.close();
      }
    });

    it('still creates the tenant when the invitation cannot be mailed, and says so beside the link', async () => {
      const run = await tenantry(['tenants', 'create', '--name', 'Acme', '--slug', 'acme', '--owner-email', 'owner@acme.test', '--json'], {
        env: { SMTP_URL: 'smtp://127.0.0.1:1' },
      });
      expect(run.code).toBe(0);
      const body = JSON.parse(run.stdout);
      expect(body).toMatchObject({ tenant: { slug: 'acme', status: 'active' }, invitation: { email: 'owner@acme.test', mailed: false } });
      expect(body.invitation.url).toMatch(/^http:\/\/localhost:3000\/invitations\/[\w-]{20,}$/);
      const text = await tenantry(['tenants', 'create', '--name', 'Beta', '--slug', 'beta', '--owner-email', 'owner@beta.test'], {
        env: { SMTP_URL: 'smtp://127.0.0.1:1' },
      });
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('The invitation could not be mailed: send the link yourself.');
      expect(text.stdout).toMatch(/http:\/\/localhost:3000\/invitations\/[\w-]{20,}/);
      expect(t.platform.tenants.findBySlug('beta')).toMatchObject({ status: 'active' });
    });

    it('adds an existing user as owner at once instead of inviting them', async () => {
      const user = await makeUser(t.platform, { email: 'boss@acme.test' });
      const run = await tenantry(['tenants', 'create', '--name', 'Acme', '--slug', 'acme', '--owner-email', 'boss@acme.test', '--json']);
      expect(run.code).toBe(0);
      const body = JSON.parse(run.stdout);
      expect(body).toMatchObject({ tenant: { slug: 'acme', status: 'active' }, owner_added: 'boss@acme.test', invitation: null });
      expect(t.platform.memberships.findActive(user.id, body.tenant.id)).toMatchObject({ role_key: 'owner' });
    });

    it.each([
      ['a slug that tries to leave the data folder', ['--name', 'X', '--slug', '../x'], /--slug may use lowercase letters/],
      ['an uppercase slug', ['--name', 'X', '--slug', 'ADMIN'], /--slug may use lowercase letters/],
      ['a reserved slug', ['--name', 'X', '--slug', 'admin'], /--slug is a reserved word/],
      ['a bad owner email', ['--name', 'X', '--slug', 'good-slug', '--owner-email', 'not-an-email'], /--owner-email must be a valid email address/],
      ['an empty name', ['--name', ' ', '--slug', 'good-slug'], /^error: --name must not be empty\n$/],
    ])('refuses %s with exit code 2, one line per field, and creates nothing', async (_label, args, message) => {
      const run = await tenantry(['tenants', 'create', ...args]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(await t.platform.tenants.list()).toEqual([]);
      expect(fs.existsSync(tenantsRoot(t.dataDir)) ? tenantDirs() : []).toEqual([]);
    });

    it('names every bad field on its own line', async () => {
      const run = await tenantry(['tenants', 'create', '--name', 'X', '--slug', '../x', '--owner-email', 'nope']);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: --slug /), expect.stringMatching(/^error: --owner-email /)]);
    });

    it('refuses an owner email given empty instead of creating the tenant without an owner (exit 2)', async () => {
      const run = await tenantry(['tenants', 'create', '--name', 'Acme', '--slug', 'acme', '--owner-email', '']);
      expect(run).toEqual({ code: 2, stdout: '', stderr: 'error: --owner-email must not be empty\n' });
      expect(await t.platform.tenants.list()).toEqual([]);
    });

    it('refuses a slug that is already taken', async () => {
      await makeTenant(t.platform, 'acme');
      const run = await tenantry(['tenants', 'create', '--name', 'Other', '--slug', 'acme']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('error: --slug is already taken\n');
    });

    it('reports a missing required option as a usage error', async () => {
      const run = await tenantry(['tenants', 'create', '--slug', 'acme']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("required option '--name <name>' not specified");
    });
  });

  describe('list', () => {
    beforeEach(async () => {
      const acme = await makeTenant(t.platform, 'acme', 'Acme Inc');
      await makeTenant(t.platform, 'globex', 'Globex');
      await addMember(t.platform, await makeUser(t.platform), acme);
      await addMember(t.platform, await makeUser(t.platform), acme, 'editor');
    });

    it('prints a table of slug, name, status, schema version, members and size', async () => {
      const run = await tenantry(['tenants', 'list']);
      expect(run.code).toBe(0);
      const [header, ...rows] = run.stdout.trim().split('\n');
      expect(header.split(/\s{2,}/)).toEqual(['SLUG', 'NAME', 'STATUS', 'SCHEMA VERSION', 'MEMBERS', 'SIZE']);
      expect(rows).toHaveLength(2);
      expect(rows[0].split(/\s{2,}/)).toEqual(['acme', 'Acme Inc', 'active', t.platform.tenantSource.latest, '2', expect.stringMatching(/^\d+(\.\d)? KiB$/)]);
      expect(rows[1]).toMatch(/^globex\s+Globex\s+active\s+\S+\s+0\s+/);
    });

    it('prints a JSON array with --json', async () => {
      const run = await tenantry(['tenants', 'list', '--json']);
      expect(run.code).toBe(0);
      const rows = JSON.parse(run.stdout);
      expect(rows.map((r: { slug: string }) => r.slug)).toEqual(['acme', 'globex']);
      expect(rows[0]).toMatchObject({ name: 'Acme Inc', status: 'active', members: 2, schema_version: t.platform.tenantSource.latest });
      expect(rows[0].size_bytes).toBeGreaterThan(0);
    });

    it("counts an archived tenant's size from its folder in the archive, as the console does", async () => {
      expect((await tenantry(['tenants', 'archive', 'globex', '--yes'])).code).toBe(0);
      const rows = JSON.parse((await tenantry(['tenants', 'list', '--json'])).stdout);
      expect(rows.find((r: { slug: string }) => r.slug === 'globex')).toMatchObject({ status: 'archived', size_bytes: expect.any(Number) });
      expect(rows.find((r: { slug: string }) => r.slug === 'globex').size_bytes).toBeGreaterThan(0);
    });

    describe('over more tenants than a page holds', () => {
      /** Tenant rows alone: 501 more, so 503 with acme and globex. */
      beforeEach(() => {
        t.platform.db.write(() => {
          for (let i = 0; i < LIST_PAGE_SIZE + 1; i++) {
            t.platform.tenants.insert({
              id: `t${String(i).padStart(24, 'f')}`,
              slug: `fleet-${String(i).padStart(4, '0')}`,
              name: `Fleet ${i}`,
              status: 'active',
            });
          }
        });
      });

      /** The tenants whose folder a run looked at (live or archived). */
      async function foldersMeasured(args: string[]): Promise<{ run: Awaited<ReturnType<typeof tenantry>>; ids: Set<string> }> {
        const lstat = jest.spyOn(fs, 'lstatSync');
        try {
          const run = await tenantry(args);
          const ids = new Set(
            lstat.mock.calls.map(([target]) => /[/\\](?:tenants|archive)[/\\](t[0-9a-f]{24})(?:[/\\]|$)/.exec(String(target))?.[1]).filter(Boolean) as string[],
          );
          return { run, ids };
        } finally {
          lstat.mockRestore();
        }
      }

      it('shows the first page in the table, says how to see the rest, and measures the folders of the tenants it shows only', async () => {
        const { run, ids } = await foldersMeasured(['tenants', 'list']);
        expect(run.code).toBe(0);
        const lines = run.stdout.trim().split('\n');
        expect(lines).toHaveLength(1 + LIST_PAGE_SIZE + 1);
        expect(lines.at(-1)).toBe(`(tenants 1-${LIST_PAGE_SIZE} of 503; the next: --page 2, every tenant: --all; or narrow the list with --status)`);
        expect(ids.size).toBeLessThanOrEqual(LIST_PAGE_SIZE);
        expect(ids.has(t.platform.tenants.findBySlug('acme')!.id)).toBe(true);
        expect(ids.has(t.platform.tenants.findBySlug('globex')!.id)).toBe(false);

        const second = await foldersMeasured(['tenants', 'list', '--page', '2']);
        expect(second.run.stdout).toMatch(/^globex\s+Globex\s+active/m);
        expect(second.run.stdout).toContain(`(tenants ${LIST_PAGE_SIZE + 1}-503 of 503; or narrow the list with --status)`);
        expect(second.ids.has(t.platform.tenants.findBySlug('globex')!.id)).toBe(true);
        expect(second.ids.size).toBeLessThanOrEqual(3);
        expect((await tenantry(['tenants', 'list', '--page', '3'])).stdout).toBe(`No tenants on page 3 (503 tenants, ${LIST_PAGE_SIZE} a page).\n`);
      });

      it('lists every tenant with --all and in the JSON, and a --page of the JSON says so on stderr', async () => {
        expect((await tenantry(['tenants', 'list', '--all'])).stdout.trim().split('\n')).toHaveLength(1 + 503);
        expect(JSON.parse((await tenantry(['tenants', 'list', '--json'])).stdout)).toHaveLength(503);
        const page = await tenantry(['tenants', 'list', '--json', '--page', '2']);
        expect(JSON.parse(page.stdout)).toHaveLength(3);
        expect(page.stderr).toBe(`(the JSON holds tenants ${LIST_PAGE_SIZE + 1}-503 of 503)\n`);
        expect((await tenantry(['tenants', 'list', '--page', '0'])).stderr).toContain('--page must be a page number');
        expect((await tenantry(['tenants', 'list', '--page', '2', '--all'])).code).toBe(2);
      });
    });

    it('filters by status, and refuses a status that does not exist', async () => {
      await tenantry(['tenants', 'suspend', 'globex', '--reason', 'Unpaid']);
      const suspended = JSON.parse((await tenantry(['tenants', 'list', '--status', 'suspended', '--json'])).stdout);
      expect(suspended.map((r: { slug: string }) => r.slug)).toEqual(['globex']);
      const bad = await tenantry(['tenants', 'list', '--status', 'sleeping']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('Allowed choices are');
    });

    it('refuses a name with control characters', async () => {
      const run = await tenantry(['tenants', 'create', '--name', 'Evil\u001b[2J', '--slug', 'evil']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('must not contain control characters');
      expect(t.platform.tenants.findBySlug('evil')).toBeUndefined();
    });

    it('never lets a stored name move the cursor or recolour the terminal', async () => {
      const tenant = await makeTenant(t.platform, 'evil');
      // A row written by an older release, before names were checked.
      await t.platform.tenants.update(tenant.id, { name: 'Evil\u001b[2J\u001b]0;owned\u0007' });
      const run = await tenantry(['tenants', 'list']);
      // eslint-disable-next-line no-control-regex
      expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
      expect(run.stdout).toContain('Evil?[2J?]0;owned?');
    });
  });

  describe('suspend and resume', () => {
    it('suspends an active tenant and resumes it', async () => {
      await makeTenant(t.platform, 'acme');
      const suspended = await tenantry(['tenants', 'suspend', 'acme', '--reason', 'Invoice unpaid']);
      expect(suspended).toEqual({ code: 0, stdout: 'Tenant acme is now suspended.\n', stderr: '' });
      expect(t.platform.tenants.findBySlug('acme')?.status).toBe('suspended');
      const resumed = await tenantry(['tenants', 'resume', 'acme']);
      expect(resumed).toEqual({ code: 0, stdout: 'Tenant acme is now active.\n', stderr: '' });
      expect(t.platform.tenants.findBySlug('acme')?.status).toBe('active');
    });

    it('refuses to suspend a tenant twice with exit code 1', async () => {
      await makeTenant(t.platform, 'acme');
      await tenantry(['tenants', 'suspend', 'acme', '--reason', 'Unpaid']);
      const again = await tenantry(['tenants', 'suspend', 'acme', '--reason', 'Unpaid']);
      expect(again.code).toBe(1);
      expect(again.stderr).toBe('error: Tenant acme is suspended; it cannot be suspended.\n');
    });

    it('says which tenant it could not find, with exit code 2', async () => {
      const run = await tenantry(['tenants', 'resume', 'nobody']);
      expect(run).toEqual({ code: 2, stdout: '', stderr: 'error: No tenant with slug "nobody".\n' });
    });
  });

  describe('a 10 KB slug that names no tenant', () => {
    const shown = `${'x'.repeat(79)}…`;
    it.each([
      [['tenants', 'suspend', '<slug>', '--reason', 'r'], `error: No tenant with slug "${shown}".\n`],
      [['tenants', 'backups', '<slug>'], `error: No tenant with slug "${shown}".\n`],
      [['tenants', 'restore', '<slug>'], `error: No tenant with slug "${shown}".\n`],
      [['tenants', 'set-plan', '<slug>', 'default'], `error: No tenant with slug "${shown}".\n`],
      [['tenants', 'migrate', '--tenant', '<slug>'], `error: No active or suspended tenant with slug "${shown}".\n`],
      [['tenants', 'migrate', '--rehearse', '--tenant', '<slug>'], `error: No active or suspended tenant with slug "${shown}".\n`],
    ])('is echoed cut to 80 characters by %j (exit 2)', async (args, message) => {
      const run = await tenantry(args.map((arg) => (arg === '<slug>' ? 'x'.repeat(10240) : arg)));
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(message);
    });
  });
});
