import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTenant, makeUser } from '../../support/factories';
import { postForm, signIn } from '../../support/http-agent';
import { createApp } from '../../../app/create-app';
import * as importedDatabase from '../../../control-plane/transfer/verify-imported-database';
import { tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import { fillTenant, tenantState } from '../../support/tenant-data';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { cliTestPlatform } from '../../support/cli-runner';
import { repack } from '../../support/archives';
import { outboxMails } from '../../support/outbox';

describe('tenantry tenants clone, export and import', () => {
  const { t, tenantry } = cliTestPlatform();
  let acme: TenantRecord;

  beforeEach(async () => {
    acme = await makeTenant(t.platform, 'acme');
    await fillTenant(t, acme);
  });

  it('clones a tenant and says whether members came along', async () => {
    const run = await tenantry(['tenants', 'clone', 'acme', '--to', 'acme-staging', '--name', 'Acme staging', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ source: 'acme', slug: 'acme-staging', name: 'Acme staging', status: 'active', members: 0 });
  });

  it('names the add-owner command after a clone or an import that gave the new tenant no members, since its slug is taken now', async () => {
    const cloned = await tenantry(['tenants', 'clone', 'acme', '--to', 'acme-staging']);
    expect(cloned.code).toBe(0);
    expect(cloned.stdout).toContain('tenantry tenants add-owner acme-staging --email <email>');

    const out = path.join(t.dataDir, 'acme.tar.gz');
    expect((await tenantry(['tenants', 'export', 'acme', '--out', out])).code).toBe(0);
    const imported = await tenantry(['tenants', 'import', out, '--slug', 'acme-back']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('tenantry tenants add-owner acme-back --email <email>');

    await makeUser(t.platform, { email: 'owner@acme.test' });
    const added = await tenantry(['tenants', 'add-owner', 'acme-back', '--email', 'owner@acme.test']);
    expect(added.code).toBe(0);
  });

  it('mails a new owner given to an import one invitation, once the tenant is active, with the link it prints', async () => {
    const out = path.join(t.dataDir, 'acme.tar.gz');
    expect((await tenantry(['tenants', 'export', 'acme', '--out', out])).code).toBe(0);
    const run = await tenantry(['tenants', 'import', out, '--slug', 'acme-back', '--owner-email', 'owner@acme.test']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /Owner invitation for owner@acme\.test, expires \d{4}-\d\d-\d\d \d\d:\d\d UTC \(written to \S+outbox: no SMTP_URL is set, so no mail goes out\)\./,
    );
    const link = /^ {2}(http:\/\/localhost:3000\/invitations\/[\w-]{20,})$/m.exec(run.stdout)?.[1];
    expect(link).toBeDefined();
    const mails = outboxMails(t.dataDir).filter((m) => m.to === 'owner@acme.test');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toMatch(/ invited you to /);
    expect(mails[0].text).toContain(link);
    expect(t.platform.tenants.findBySlug('acme-back')).toMatchObject({ status: 'active' });
  });

  it('still imports when the owner invitation cannot be mailed, and says so beside the link (text and --json)', async () => {
    const out = path.join(t.dataDir, 'acme.tar.gz');
    expect((await tenantry(['tenants', 'export', 'acme', '--out', out])).code).toBe(0);
    const smtpDown = { env: { SMTP_URL: 'smtp://127.0.0.1:1' } };
    const json = await tenantry(['tenants', 'import', out, '--slug', 'acme-json', '--owner-email', 'owner@acme.test', '--json'], smtpDown);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({ slug: 'acme-json', status: 'active', invitation: { email: 'owner@acme.test', mailed: false } });
    expect(body.invitation.url).toMatch(/^http:\/\/localhost:3000\/invitations\/[\w-]{20,}$/);
    const text = await tenantry(['tenants', 'import', out, '--slug', 'acme-text', '--owner-email', 'owner@acme.test'], smtpDown);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('The invitation could not be mailed: send the link yourself.');
    expect(text.stdout).toMatch(/^ {2}http:\/\/localhost:3000\/invitations\/[\w-]{20,}$/m);
    expect(t.platform.tenants.findBySlug('acme-text')).toMatchObject({ status: 'active' });
    expect(outboxMails(t.dataDir)).toEqual([]);
  });

  it('exports to a file, refuses to overwrite it without --force, and imports it back', async () => {
    const out = path.join(t.dataDir, 'acme.tar.gz');
    const exported = await tenantry(['tenants', 'export', 'acme', '--out', out]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`Exported acme to ${out}`);
    expect(exported.stdout).toContain('Secrets left out (enter them again after an import): mailer_api_key');

    const again = await tenantry(['tenants', 'export', 'acme', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists; choose another file or replace it with --force');
    expect((await tenantry(['tenants', 'export', 'acme', '--out', out, '--force'])).code).toBe(0);

    const imported = await tenantry(['tenants', 'import', out, '--slug', 'acme-back', '--json']);
    expect(imported.code).toBe(0);
    const body = JSON.parse(imported.stdout);
    expect(body).toMatchObject({ slug: 'acme-back', kind: 'export', from: { slug: 'acme' }, secrets_to_enter_again: ['mailer_api_key'] });
    expect(tenantState(t.dataDir, body.id).files).toEqual(tenantState(t.dataDir, acme.id).files);
  });

  it('prints the secret names an export lists as text, never as terminal control sequences', async () => {
    const out = path.join(t.dataDir, 'acme.tar.gz');
    expect((await tenantry(['tenants', 'export', 'acme', '--out', out])).code).toBe(0);
    const hostile = path.join(t.dataDir, 'hostile.tar.gz');
    await repack(
      out,
      hostile,
      (dir) => {
        const manifestFile = path.join(dir, 'manifest.json');
        const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { secrets_removed: string[] };
        manifest.secrets_removed = ['\u001b[2J\u001b[HAll good', '\u001b]0;owned\u0007x'];
        fs.writeFileSync(manifestFile, JSON.stringify(manifest));
      },
      { recomputeChecksums: true },
    );
    const run = await tenantry(['tenants', 'import', hostile, '--slug', 'acme-hostile']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Secrets to enter again in its settings: ?[2J?[HAll good, ?]0;owned?x');
    expect(run.stdout).not.toContain('\u001b');
  });

  it('refuses an import whose slug the console took while the archive was being checked (exit 2), leaving no row, folder or temp file', async () => {
    const out = path.join(t.dataDir, 'acme.tar.gz');
    expect((await tenantry(['tenants', 'export', 'acme', '--out', out])).code).toBe(0);
    fs.rmSync(path.join(tenantsRoot(t.dataDir), '.exporting'), { recursive: true, force: true });
    const { app } = createApp(t.platform);
    const operator = await signIn(app, (await makeUser(t.platform, { superAdmin: true })).email);
    const verify = importedDatabase.verifyImportedDatabase;
    const check = jest.spyOn(importedDatabase, 'verifyImportedDatabase').mockImplementation(async (...args) => {
      // The archive is unpacked and its slug was free: now the console creates a tenant with it.
      expect((await postForm(operator, '/admin/tenants', { name: 'From the console', slug: 'newco' }, '/admin/tenants/new')).status).toBeLessThan(400);
      return verify(...args);
    });

    const run = await tenantry(['tenants', 'import', out, '--slug', 'newco']);
    check.mockRestore();

    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: --slug is already taken\n');
    const newco = t.platform.tenants.findBySlug('newco');
    expect(newco).toMatchObject({ name: 'From the console', status: 'active' });
    expect(
      t.platform.tenants
        .list()
        .map((x) => x.slug)
        .sort(),
    ).toEqual(['acme', 'newco']);
    // Only the two tenants' own files: no folder of a half-made tenant, no work file, no claim.
    const left = fs.readdirSync(tenantsRoot(t.dataDir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(left.every((e) => [acme.id, newco?.id].includes(path.relative(tenantsRoot(t.dataDir), e.parentPath).split(path.sep)[0]))).toBe(true);
  });

  it('refuses a hostile file with the reason and exit code 2', async () => {
    const file = path.join(t.dataDir, 'notes.txt');
    fs.writeFileSync(file, 'not an export');
    const run = await tenantry(['tenants', 'import', file, '--slug', 'x-1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: import refused: the file is neither a Tenantry export (.tar.gz) nor a tenant.sqlite database');
    expect(t.platform.tenants.findBySlug('x-1')).toBeUndefined();
  });

  it('refuses to import from a pipe at once, instead of waiting on it for ever (exit 2)', async () => {
    const fifo = path.join(t.dataDir, 'incoming.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await tenantry(['tenants', 'import', fifo, '--slug', 'from-pipe']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: file ${fifo} is not a regular file`);
    expect(t.platform.tenants.findBySlug('from-pipe')).toBeUndefined();
  });

  it('names the file an import cannot read and says why: not there, a folder, no permission (exit 2), importing nothing', async () => {
    const folder = path.join(t.dataDir, 'handover');
    fs.mkdirSync(folder);
    const note = path.join(t.dataDir, 'note.txt');
    fs.writeFileSync(note, 'a file, not a folder');
    for (const [file, reason] of [
      [path.join(t.dataDir, 'no-such.tar.gz'), `${path.join(t.dataDir, 'no-such.tar.gz')} does not exist`],
      [path.join(note, 'acme.tar.gz'), `${path.join(note, 'acme.tar.gz')} does not exist`],
      [folder, `${folder} is a folder: name an export (.tar.gz) or a tenant.sqlite`],
    ]) {
      const run = await tenantry(['tenants', 'import', file, '--slug', 'newco']);
      expect({ file, code: run.code, stderr: run.stderr }).toEqual({ file, code: 2, stderr: `error: file ${reason}\n` });
    }
    // A relative path is named as the absolute one it stands for.
    const relative = await tenantry(['tenants', 'import', 'missing-export.tar.gz', '--slug', 'newco']);
    expect(relative.stderr).toBe(`error: file ${path.resolve('missing-export.tar.gz')} does not exist\n`);
    // A file this process may not read (its owner's alone): named, with the reason.
    const out = path.join(t.dataDir, 'acme.tar.gz');
    expect((await tenantry(['tenants', 'export', 'acme', '--out', out])).code).toBe(0);
    const open = jest.spyOn(importedDatabase, 'headOf').mockImplementation(() => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${out}'`), { code: 'EACCES', syscall: 'open' });
    });
    const denied = await tenantry(['tenants', 'import', out, '--slug', 'newco']);
    open.mockRestore();
    expect(denied).toMatchObject({ code: 2, stderr: `error: file ${out} cannot be read: permission denied (EACCES)\n` });
    expect(t.platform.tenants.findBySlug('newco')).toBeUndefined();
  });

  it('refuses an --out it could not write before any work, naming where (exit 2): below a file, or in a folder it may not write in; a missing folder is made', async () => {
    const note = path.join(t.dataDir, 'note.txt');
    fs.writeFileSync(note, 'a file, not a folder');
    const locked = path.join(t.dataDir, 'locked');
    fs.mkdirSync(locked);
    const exports = () => t.platform.db.all("select id from audit_events where action = 'tenant.export'").length;
    const before = exports();
    const below = await tenantry(['tenants', 'export', 'acme', '--out', path.join(note, 'deeper', 'acme.tar.gz')]);
    expect(below).toMatchObject({ code: 2, stderr: `error: --out cannot be written: ${note} is not a folder\n` });
    const access = fs.accessSync;
    const writable = jest.spyOn(fs, 'accessSync').mockImplementation((where, mode) => {
      if (where === locked) throw Object.assign(new Error(`EACCES: permission denied, access '${locked}'`), { code: 'EACCES', syscall: 'access' });
      access(where, mode);
    });
    const denied = await tenantry(['tenants', 'export', 'acme', '--out', path.join(locked, 'sub', 'acme.tar.gz')]);
    writable.mockRestore();
    expect(denied).toMatchObject({ code: 2, stderr: `error: --out cannot be written in ${locked}: permission denied (EACCES)\n` });
    expect(fs.readdirSync(locked)).toEqual([]);
    expect(exports()).toBe(before);
    // Refused before any work: no copy of the tenant was taken.
    expect(fs.existsSync(path.join(tenantsRoot(t.dataDir), '.exporting'))).toBe(false);

    const made = path.join(t.dataDir, 'handover', '2025', 'acme.tar.gz');
    expect((await tenantry(['tenants', 'export', 'acme', '--out', made])).code).toBe(0);
    expect(fs.statSync(made).isFile()).toBe(true);
  });

  it('writes an export only to a file: a folder, a pipe or an empty --out is refused before any work, even with --force (exit 2)', async () => {
    const folder = path.join(t.dataDir, 'a-folder');
    fs.mkdirSync(folder);
    const fifo = path.join(t.dataDir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const [out, reason] of [
      [folder, '--out is a folder: name a file to write'],
      [fifo, '--out is not a regular file: name a file to write'],
      ['', '--out must name the file to write'],
    ]) {
      const run = await tenantry(['tenants', 'export', 'acme', '--out', out, '--force']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`error: ${reason}`);
    }
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('names --to for a bad slug of the clone (exit 2), creating nothing', async () => {
    const run = await tenantry(['tenants', 'clone', 'acme', '--to', 'ACME']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --to may use lowercase letters, digits and single hyphens, and must start and end with a letter or digit\n',
    });
    expect(t.platform.tenants.list().map((row) => row.slug)).toEqual(['acme']);
  });

  it('names the option of a bad slug (exit 2)', async () => {
    const run = await tenantry(['tenants', 'import', '/nonexistent.tar.gz', '--slug', '../etc']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: --slug may use lowercase letters');
  });
});
