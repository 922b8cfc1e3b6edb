import fs from 'node:fs';
import path from 'node:path';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { damage, folderSnapshot } from '../../support/damage';
import { cliTestPlatform } from '../../support/cli-runner';
import { archiveRoot, tenantPaths, tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import { templatesDir } from '../../../control-plane/provisioning/tenant-template';
import { tenantLockFile } from '../../../control-plane/lifecycle/tenant-lock';
import { FileLock } from '../../../core/process/file-lock';
import { provisionDeps, provisionTenant, DEFAULT_STEPS } from '../../../control-plane/provisioning/provision-tenant';

describe('tenantry doctor', () => {
  const { t, tenantry } = cliTestPlatform();

  const ago = (file: string, minutes: number) => {
    const when = new Date(Date.now() - minutes * 60_000);
    fs.utimesSync(file, when, when);
  };

  const ownedTenant = async (slug: string) => {
    const tenant = await makeTenant(t.platform, slug);
    await addMember(t.platform, await makeUser(t.platform), tenant, 'owner');
    return tenant;
  };

  it('says everything is in order and exits 0 on a healthy data folder', async () => {
    await ownedTenant('acme');
    const run = await tenantry(['doctor']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Everything is in order \(\d+\.\d\ds\)\.\n$/);
  });

  it('moves an orphan folder to data/orphans/ with its bytes, never deleting it, and exits 1 for a human to look', async () => {
    const ghostId = 't' + 'a'.repeat(24);
    const ghost = path.join(tenantsRoot(t.dataDir), ghostId);
    fs.mkdirSync(path.join(ghost, 'files'), { recursive: true });
    fs.writeFileSync(path.join(ghost, 'tenant.sqlite'), 'somebody data');
    const before = folderSnapshot(ghost);

    const look = await tenantry(['doctor']);
    expect(look.code).toBe(1);
    expect(look.stdout).toContain(`fixable  folders      tenants/${ghostId}: an orphan folder in the live tree (its id belongs to no tenant)`);
    expect(fs.existsSync(ghost)).toBe(true);

    const fixed = await tenantry(['doctor', '--fix']);
    expect(fixed.code).toBe(1);
    expect(fixed.stdout).toContain('(look at it: it needs a human)');
    expect(fs.existsSync(ghost)).toBe(false);
    const [moved] = fs.readdirSync(path.join(t.dataDir, 'orphans'));
    expect(moved.startsWith(ghostId)).toBe(true);
    expect(folderSnapshot(path.join(t.dataDir, 'orphans', moved))).toEqual(before);
    expect((await tenantry(['doctor'])).code).toBe(0);
  });

  it('marks a live tenant whose folder is gone damaged, and leaves it for a human', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    fs.rmSync(tenantPaths(t.dataDir, acme.id).dir, { recursive: true });
    const run = await tenantry(['doctor', '--fix']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('files        acme: the database file is missing');
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({
      status: 'damaged',
      failure_reason: 'the database file is missing (found by tenantry doctor)',
    });
    const again = await tenantry(['doctor', '--fix']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('HUMAN    files        acme: damaged: the database file is missing');
  });

  it('brings a damaged tenant back online once its file passes every check again', async () => {
    const acme = await makeTenant(t.platform, 'acme');
    const file = tenantPaths(t.dataDir, acme.id).database;
    const good = fs.readFileSync(file);
    damage(t.platform, acme, 'a 0-byte file');
    await tenantry(['doctor', '--fix']);
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('damaged');
    fs.writeFileSync(file, good);
    const run = await tenantry(['doctor', '--fix']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('marked damaged, but its file now passes every check');
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('active');
  });

  it('removes leftovers nobody owns: template temp files, provisioning temp folders, stale locks, old upload temp files, half-purged folders', async () => {
    const acme = await ownedTenant('acme');
    const leftovers = [
      path.join(templatesDir(t.dataDir), '.building-abc123.sqlite'),
      path.join(tenantsRoot(t.dataDir), '.provisioning', 't' + 'b'.repeat(24), 'tenant.sqlite'),
      path.join(tenantPaths(t.dataDir, acme.id).files, '.upload-0123456789abcdef0123456789abcdef'),
      path.join(archiveRoot(t.dataDir), '.purging-t' + 'c'.repeat(24), 'tenant.sqlite'),
    ];
    for (const file of leftovers) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'x');
    }
    ago(leftovers[2], 30);
    const freshUpload = path.join(tenantPaths(t.dataDir, acme.id).files, '.upload-fedcba9876543210fedcba9876543210');
    fs.writeFileSync(freshUpload, 'in flight');
    FileLock.tryHold(tenantLockFile(t.dataDir, 't' + 'd'.repeat(24)))?.release();

    const look = await tenantry(['doctor']);
    expect(look.code).toBe(1);
    expect(look.stdout.match(/^fixable/gm)).toHaveLength(5);

    const fixed = await tenantry(['doctor', '--fix']);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/5 found, 5 fixed, 0 need a human, 0 unresolved/);
    for (const file of leftovers) expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(freshUpload)).toBe(true);
    expect(fs.existsSync(tenantLockFile(t.dataDir, 't' + 'd'.repeat(24)))).toBe(false);
  });

  it('leaves a lock that a running operation holds, and its temp folder, alone', async () => {
    const id = 't' + 'e'.repeat(24);
    const held = FileLock.tryHold(tenantLockFile(t.dataDir, id))!;
    const temp = path.join(tenantsRoot(t.dataDir), '.provisioning', id);
    fs.mkdirSync(temp, { recursive: true });
    try {
      const run = await tenantry(['doctor', '--fix']);
      expect(run.code).toBe(0);
      expect(fs.existsSync(temp)).toBe(true);
      expect(fs.existsSync(tenantLockFile(t.dataDir, id))).toBe(true);
    } finally {
      held.release({ remove: true });
    }
  });

  it('lists failed tenants for a human: retry or discard', async () => {
    const steps = DEFAULT_STEPS.map((s) => (s.name === 'seed-tenant' ? { name: s.name, run: () => Promise.reject(new Error('disk full')) } : s));
    await provisionTenant(provisionDeps(t.platform, { steps }), { slug: 'acme', name: 'Acme' }).catch(() => undefined);
    const run = await tenantry(['doctor', '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings).toEqual([
      expect.objectContaining({ check: 'status', subject: 'acme', needsHuman: true, problem: expect.stringContaining('tenantry tenants retry acme') }),
    ]);
  });

  it('notes a tenant without an owner, without failing', async () => {
    await makeTenant(t.platform, 'acme');
    const run = await tenantry(['doctor']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('note     status       acme: has no owner and no pending owner invitation');
  });

  it('with --deep runs integrity_check on every tenant file, with a progress bar on a terminal', async () => {
    await makeTenant(t.platform, 'acme');
    const globex = await makeTenant(t.platform, 'globex');
    damage(t.platform, globex, 'a garbage file');
    const run = await tenantry(['doctor', '--deep'], { isTTY: { stderr: true } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/integrity_check \[.*\] \d\/2 tenant files/);
    expect(run.stdout).toContain('globex: the file is not a database');
    const plain = await tenantry(['doctor', '--deep']);
    expect(plain.stderr).toContain('progress: 2/2 tenant files checked');
  });

  it('explains itself in --help, with examples and exit codes', async () => {
    const run = await tenantry(['doctor', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--deep');
    expect(run.stdout).toContain('Exit codes: 0');
    expect(run.stdout).toContain('$ tenantry doctor --fix');
  });
});
