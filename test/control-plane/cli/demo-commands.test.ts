import fs from 'node:fs';
import path from 'node:path';
import { makeTenant, makeUser } from '../../support/factories';
import { inTenant, tenantContent } from '../../support/content';
import { verifyPassword } from '../../../control-plane/auth/password-hasher';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { cliTestPlatform } from '../../support/cli-runner';

interface DemoJson {
  tenant: { id: string; slug: string; url: string };
  users: Array<{ role: string; email: string; name: string; password: string }>;
  content: { items: number; comments: number; nextDueAt: number | null };
}

describe('tenantry demo', () => {
  const { t, tenantry } = cliTestPlatform();

  const demo = async (...args: string[]): Promise<DemoJson> => {
    const run = await tenantry(['demo', '--json', ...args]);
    if (run.code !== 0) throw new Error(`demo failed (${run.code}): ${run.stderr}`);
    return JSON.parse(run.stdout) as DemoJson;
  };

  it('creates a demo tenant with one user per predefined role, random passwords shown once, and content in every workflow state', async () => {
    const made = await demo();
    expect(made.tenant.slug).toBe('demo');
    expect(made.users.map((u) => u.role)).toEqual(['owner', 'admin', 'approver', 'editor', 'viewer']);
    const tenant = t.platform.tenants.findBySlug('demo');
    expect(tenant?.status).toBe('active');
    for (const u of made.users) {
      const user = t.platform.users.findByEmail(u.email);
      expect(u.password.length).toBeGreaterThanOrEqual(20);
      expect(await verifyPassword(user?.password_hash ?? '', u.password)).toBe(true);
      expect(user?.password_hash).not.toContain(u.password);
      expect(t.platform.memberships.findActive(user?.id ?? '', tenant?.id ?? '')?.role_key).toBe(u.role);
    }
    expect(new Set(made.users.map((u) => u.password)).size).toBe(5);
    const content = await tenantContent(t.platform, tenant!);
    expect(new Set((content.items as Array<{ status: string }>).map((i) => i.status))).toEqual(
      new Set(['draft', 'in_review', 'changes_requested', 'approved', 'scheduled', 'published', 'archived']),
    );
    expect(content.comments.length).toBeGreaterThanOrEqual(3);
    expect(made.content).toMatchObject({ items: 7, comments: content.comments.length });
    // The scheduled item is known to the scheduler.
    expect(t.platform.db.connection().prepare('select next_due_at from tenant_schedule where tenant_id = ?').get(tenant?.id)).toEqual({
      next_due_at: made.content.nextDueAt,
    });
  });

  it('prints the users with their passwords and how to sign in', async () => {
    const run = await tenantry(['demo']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created the demo tenant demo: 7 items');
    expect(run.stdout).toMatch(/ROLE\s+EMAIL\s+PASSWORD/);
    expect(run.stdout).toMatch(/owner\s+owner@demo\.test\s+[A-Za-z0-9_-]{24}/);
    expect(run.stdout).toContain('DEV_LOGIN=1');
  });

  it('refuses a second run while the demo exists (exit 1), and --reset restores it as new', async () => {
    const first = await demo();
    const firstTenant = t.platform.tenants.findBySlug('demo');
    const again = await tenantry(['demo']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('tenantry demo --reset');

    const reset = await demo('--reset');
    const tenant = t.platform.tenants.findBySlug('demo');
    expect(tenant?.id).not.toBe(firstTenant?.id);
    expect(fs.existsSync(tenantPaths(t.dataDir, firstTenant?.id ?? '').dir)).toBe(false);
    expect(reset.users.map((u) => u.email)).toEqual(first.users.map((u) => u.email));
    const owner = t.platform.users.findByEmail('owner@demo.test');
    expect(await verifyPassword(owner?.password_hash ?? '', first.users[0].password)).toBe(false);
    expect(await verifyPassword(owner?.password_hash ?? '', reset.users[0].password)).toBe(true);
    expect((await tenantContent(t.platform, tenant!)).items).toHaveLength(7);
    expect(t.platform.db.connection().prepare("select count(*) as n from users where email like '%@demo.test'").get()).toEqual({ n: 5 });
  });

  it('--reset of a demo a super admin archived removes its archived folder too, leaving nothing for the doctor to call an orphan', async () => {
    await demo();
    const first = t.platform.tenants.findBySlug('demo')!;
    expect((await tenantry(['tenants', 'archive', 'demo', '--yes'])).code).toBe(0);
    expect(fs.existsSync(tenantPaths(t.dataDir, first.id, 'archive').dir)).toBe(true);

    await demo('--reset');
    expect(fs.existsSync(tenantPaths(t.dataDir, first.id, 'archive').dir)).toBe(false);
    expect(t.platform.tenants.findBySlug('demo')?.status).toBe('active');
    const doctor = await tenantry(['doctor', '--json']);
    expect(doctor.stdout).not.toContain(first.id);
    expect(fs.existsSync(path.join(t.dataDir, 'orphans'))).toBe(false);
  });

  it('--reset beside a running server leaves the server no handle on the removed files once it notices', async () => {
    await demo();
    const first = t.platform.tenants.findBySlug('demo')!;
    // The server (t.platform) serves the demo: its handle is open.
    const served = await inTenant(t.platform, first, (db) => db);
    expect(served.isOpen).toBe(true);

    await demo('--reset');
    expect(fs.existsSync(tenantPaths(t.dataDir, first.id).dir)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    t.platform.access.noticeOutsideChanges();
    expect(t.platform.router.isOpen(first.id)).toBe(false);
    expect(served.isOpen).toBe(false);
  });

  it('never touches a real tenant or account that shares the slug or an address', async () => {
    const real = await makeTenant(t.platform, 'demo', 'A real client called Demo');
    const run = await tenantry(['demo']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--slug "demo" belongs to a tenant that is not the demo');
    const reset = await tenantry(['demo', '--reset']);
    expect(reset.code).toBe(2);
    expect(t.platform.tenants.findById(real.id)?.status).toBe('active');

    await makeUser(t.platform, { email: 'owner@sample.test' });
    const clash = await tenantry(['demo', '--slug', 'sample']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('owner@sample.test');
    expect(t.platform.tenants.findBySlug('sample')).toBeUndefined();
    expect((await demo('--slug', 'other')).tenant.slug).toBe('other');
  });

  it.each(['0.0.0.0', '::', '192.168.1.20'])('refuses HOST=%s with exit 2, creating nothing', async (host) => {
    const run = await tenantry(['demo'], { env: { HOST: host } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`HOST is ${host}`);
    expect(run.stderr).toContain('loopback');
    expect(t.platform.tenants.findBySlug('demo')).toBeUndefined();
  });

  it('refuses DEV_LOGIN=1 with a HOST that is not loopback before anything runs', async () => {
    const run = await tenantry(['users', 'list'], { env: { HOST: '0.0.0.0', DEV_LOGIN: '1' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('DEV_LOGIN');
    expect(run.stderr).toContain('HOST is 0.0.0.0');
  });

  it('finishes what a killed reset left: a demo folder without its row', async () => {
    const made = await demo();
    // As if killed between the transaction and the folder's removal.
    t.platform.db.connection().prepare('delete from tenants where id = ?').run(made.tenant.id);
    expect(fs.existsSync(tenantPaths(t.dataDir, made.tenant.id).dir)).toBe(true);
    const again = await demo();
    expect(fs.existsSync(tenantPaths(t.dataDir, made.tenant.id).dir)).toBe(false);
    expect(again.tenant.slug).toBe('demo');
  });
});
