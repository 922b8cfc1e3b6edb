import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { runAndKillAt, type KilledRun } from '../../support/killed-command';
import { cliFor } from '../../support/cli-runner';
import { repairInterruptedWork } from '../../../control-plane/doctor/run-doctor';
import { TENANT_ID_PATTERN, tenantPaths, tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import { provisioningRoot } from '../../../control-plane/provisioning/provisioning-paths';
import { templatesDir } from '../../../control-plane/provisioning/tenant-template';
import { holdTenantLock, locksDir } from '../../../control-plane/lifecycle/tenant-lock';
import { LIVE_STATUSES } from '../../../control-plane/lifecycle/tenant-transitions';
import { outboxMails } from '../../support/outbox';
import { hashInvitationToken } from '../../../control-plane/invitations/invitation-token';
import { addOwner } from '../../../control-plane/lifecycle/add-owner';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';

/** Every point of `tenants create` where a SIGKILL leaves something different behind. */
const POINTS = [
  'provisioning:row-inserted',
  'provisioning:temp-folder-made',
  'template:built',
  'provisioning:after:create-temp-database',
  'provisioning:after:run-tenant-migrations',
  'provisioning:after:seed-tenant',
  'provisioning:after:promote-database',
  'provisioning:after:mark-active',
];

const entries = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

/** What a killed run can leave behind, counted. */
function leftovers(t: TestPlatform) {
  const rows = t.platform.tenants.list();
  const liveIds = new Set(rows.filter((r) => LIVE_STATUSES.includes(r.status)).map((r) => r.id));
  return {
    stuckRows: t.platform.tenants.listByStatus(['provisioning']).length,
    tempFolders: entries(provisioningRoot(t.dataDir)).length,
    templateTempFiles: entries(templatesDir(t.dataDir)).filter((e) => e.startsWith('.building-')).length,
    orphanFolders: entries(tenantsRoot(t.dataDir)).filter((e) => TENANT_ID_PATTERN.test(e) && !liveIds.has(e)).length,
    lockFiles: entries(locksDir(t.dataDir)).length,
  };
}

function pendingOwnerInvitations(t: TestPlatform, tenantId: string) {
  return t.platform.db.all<{ email: string; key: string; token_hash: string }>(
    "select i.email, r.key, i.token_hash from invitations i join roles r on r.id = i.role_id where i.tenant_id = ? and i.state = 'pending'",
    [tenantId],
  );
}

/** The hash of the invitation link in a mail, as the invitations table keeps it. */
function linkHash(text: string): string | undefined {
  const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  return token && hashInvitationToken(token);
}

const NOTHING_LEFT = { stuckRows: 0, tempFolders: 0, templateTempFiles: 0, orphanFolders: 0, lockFiles: 0 };

interface Scenario {
  point: string;
  run: KilledRun;
  t: TestPlatform;
  before: ReturnType<typeof leftovers>;
  /** What the repair made of it: finished (active with its owner) or rolled back (slug free). */
  outcome?: 'finished' | 'rolled back';
}

/**
 * `tenantry tenants create` is SIGKILLed at every step of provisioning (a real child process,
 * stopped exactly there through TENANTRY_PAUSE_AT). Then the next start (the server's start-up
 * repairs) or `tenantry doctor --fix` must leave no stuck row, no temp folder, no template temp
 * file, no orphan folder and a slug that works: either the tenant is complete and active with
 * its owner, or it was rolled back and the slug can be taken again.
 */
describe('provisioning killed at every step', () => {
  const scenarios: Scenario[] = [];

  beforeAll(async () => {
    const prepared = await Promise.all(
      POINTS.map(async (point) => {
        const t = await createTestPlatform();
        // The template is built on first use; to stop in the middle of its build, there must be none.
        if (point.startsWith('template:')) fs.rmSync(templatesDir(t.dataDir), { recursive: true, force: true });
        return { point, t };
      }),
    );
    // Three processes at a time: each starts Node and compiles the CLI.
    for (let i = 0; i < prepared.length; i += 3) {
      const batch = prepared.slice(i, i + 3);
      const runs = await Promise.all(
        batch.map(({ t, point }) =>
          runAndKillAt(t.dataDir, point, ['tenants', 'create', '--name', 'Acme', '--slug', 'acme', '--owner-email', 'boss@acme.test']),
        ),
      );
      batch.forEach(({ point, t }, j) => scenarios.push({ point, t, run: runs[j], before: leftovers(t) }));
    }
  }, 120_000);

  afterAll(async () => {
    if (process.env.KILL_TEST_REPORT) {
      const rows = scenarios.map((s) => ({ point: s.point, before: s.before, outcome: s.outcome }));
      fs.writeFileSync(process.env.KILL_TEST_REPORT, JSON.stringify(rows, null, 2));
    }
    await Promise.all(scenarios.map((s) => s.t.cleanup()));
  });

  it.each(POINTS)('stops the process at %s', (point) => {
    const s = scenarios.find((x) => x.point === point)!;
    expect(s.run).toMatchObject({ pausedAt: point, signal: 'SIGKILL' });
  });

  it.each(POINTS.map((point, i) => [point, i % 2 === 0 ? 'the next start' : 'tenantry doctor --fix']))(
    'after a kill at %s, %s leaves nothing behind and a usable slug',
    async (point, repair) => {
      const s = scenarios.find((x) => x.point === point)!;
      const { t } = s;
      if (repair === 'the next start') {
        await repairInterruptedWork(t.platform);
      } else {
        const run = await cliFor(t.dataDir)(['doctor', '--fix']);
        expect(run.code).toBe(0);
      }
      expect(leftovers(t)).toEqual(NOTHING_LEFT);
      const tenant = t.platform.tenants.findBySlug('acme');
      s.outcome = tenant ? 'finished' : 'rolled back';
      if (tenant) {
        // Finished: complete, active, and with the owner it was meant to have (invited: a new address).
        expect(tenant).toMatchObject({ status: 'active', schema_version: t.platform.tenantSource.latest, pending_owner_email: null });
        // The control plane's copies of its settings are its file's, not unknown until its first open.
        expect(tenant).toMatchObject({ display_name: 'Acme', language: 'en' });
        expect(pendingOwnerInvitations(t, tenant.id)).toEqual([{ email: 'boss@acme.test', key: 'owner', token_hash: expect.any(String) }]);
        // One invitation, one mail: the repair mails the one it made; a run killed after the commit that
        // made the tenant active (and its invitation) but before its mail leaves it owed, and the repair
        // mails it with a new link (the first was never shown, and only its hash is kept). The link mailed works.
        const mails = outboxMails(t.dataDir).filter((m) => m.to === 'boss@acme.test');
        expect(mails).toHaveLength(1);
        expect(linkHash(mails[0].text)).toBe(pendingOwnerInvitations(t, tenant.id)[0].token_hash);
      } else {
        const created = await cliFor(t.dataDir)(['tenants', 'create', '--name', 'Acme again', '--slug', 'acme']);
        expect(created.code).toBe(0);
        expect(t.platform.tenants.findBySlug('acme')?.status).toBe('active');
      }
      expect((await cliFor(t.dataDir)(['doctor'])).code).toBe(0);
    },
    30_000,
  );

  it('left something to repair at most points (the test kills where it matters)', () => {
    const dirty = scenarios.filter((s) => Object.values(s.before).some((n) => n > 0));
    expect(dirty.length).toBeGreaterThanOrEqual(POINTS.length - 1);
    expect(path.isAbsolute(scenarios[0].t.dataDir)).toBe(true);
  });
});

describe('a provisioning finished after a kill while mail cannot be sent', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('says that the owner invitation was not mailed and how to send a new one, and mails it once mail can be sent', async () => {
    const run = await runAndKillAt(t.dataDir, 'provisioning:after:promote-database', [
      'tenants',
      'create',
      '--name',
      'Acme',
      '--slug',
      'acme',
      '--owner-email',
      'boss@acme.test',
    ]);
    expect(run.signal).toBe('SIGKILL');
    // Nothing listens on port 1: the mail is refused at once.
    const fixed = await cliFor(t.dataDir)(['doctor', '--fix'], { env: { SMTP_URL: 'smtp://127.0.0.1:1' } });
    expect(t.platform.tenants.findBySlug('acme')?.status).toBe('active');
    expect(fixed.stdout).toContain('the owner invitation to boss@acme.test could not be mailed');
    expect(fixed.stdout).toContain('tenantry tenants add-owner acme --email boss@acme.test');
    expect(fixed.stdout).not.toContain('invitation mailed');
    // Still owed: once mail can be sent, the next repair mails it, with a new link (the one that works).
    expect(t.platform.tenants.findBySlug('acme')?.pending_owner_email).toBe('boss@acme.test');
    expect(outboxMails(t.dataDir)).toHaveLength(0);
    expect((await cliFor(t.dataDir)(['doctor', '--fix'])).code).toBe(0);
    const mails = outboxMails(t.dataDir);
    expect(mails.map((m) => m.to)).toEqual(['boss@acme.test']);
    expect(linkHash(mails[0].text)).toBe(pendingOwnerInvitations(t, t.platform.tenants.findBySlug('acme')!.id)[0].token_hash);
  }, 60_000);
});

describe('a provisioning from the template killed after its file was put in place', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it("is finished by the next start with the control plane's copies of the workspace's display name and language read from its file, not unknown until its first open", async () => {
    const run = await runAndKillAt(t.dataDir, 'provisioning:after:promote-database', ['tenants', 'create', '--name', 'Acme', '--slug', 'acme']);
    expect(run.signal).toBe('SIGKILL');
    expect(entries(templatesDir(t.dataDir)).length).toBeGreaterThan(0);
    const row = t.platform.tenants.findBySlug('acme')!;
    expect(row).toMatchObject({ status: 'provisioning', language: null });
    // The file is what counts: here it says something else than the name the console was given.
    const file = new BetterSqlite3(tenantPaths(t.dataDir, row.id).database);
    const upsert = 'insert into settings (key, value, updated_at) values (?, ?, 0) on conflict(key) do update set value = excluded.value';
    file.prepare(upsert).run('display_name', JSON.stringify('Acme Studio'));
    file.prepare(upsert).run('language', JSON.stringify('fr'));
    file.close();

    await repairInterruptedWork(t.platform);
    expect(t.platform.tenants.findById(row.id)).toMatchObject({ status: 'active', display_name: 'Acme Studio', language: 'fr' });
  }, 60_000);
});

/**
 * The first owner's invitation is owed a mail from the commit that makes the tenant active until
 * the mail is sent. A process killed in that span (the command itself, or the repair that mails it)
 * leaves it owed, and the next repair mails a new link; nothing owed, nothing mailed again.
 */
describe("the first owner's invitation mail killed on its way", () => {
  const create = ['tenants', 'create', '--name', 'Acme', '--slug', 'acme', '--owner-email', 'boss@acme.test'];
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  const bossMails = () => outboxMails(t.dataDir).filter((m) => m.to === 'boss@acme.test');
  const owed = () => t.platform.tenants.findBySlug('acme')?.pending_owner_email;

  it('is mailed by the next repair, even when that repair is killed before or after its mail', async () => {
    expect((await runAndKillAt(t.dataDir, 'provisioning:after:mark-active', create)).signal).toBe('SIGKILL');
    expect(t.platform.tenants.findBySlug('acme')?.status).toBe('active');
    expect(owed()).toBe('boss@acme.test');
    expect((await cliFor(t.dataDir)(['doctor'])).stdout).toContain("its first owner's invitation to boss@acme.test was never mailed");

    // The repair killed once its new link is committed, before the mail: still owed, nothing sent.
    expect((await runAndKillAt(t.dataDir, 'owner-invitation:renewed', ['doctor', '--fix'])).pausedAt).toBe('owner-invitation:renewed');
    expect(bossMails()).toHaveLength(0);
    expect(owed()).toBe('boss@acme.test');

    // Killed after its mail, before it is marked sent: the next repair mails again, and only the last link works.
    expect((await runAndKillAt(t.dataDir, 'owner-invitation:mailed', ['doctor', '--fix'])).pausedAt).toBe('owner-invitation:mailed');
    expect(bossMails()).toHaveLength(1);

    const fixed = await cliFor(t.dataDir)(['doctor', '--fix']);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('mailed them a new invitation link');
    const tenant = t.platform.tenants.findBySlug('acme')!;
    expect(tenant.pending_owner_email).toBeNull();
    const mails = bossMails();
    expect(mails).toHaveLength(2);
    const [invitation] = pendingOwnerInvitations(t, tenant.id);
    expect(linkHash(mails[1].text)).toBe(invitation.token_hash);
    expect(linkHash(mails[0].text)).not.toBe(invitation.token_hash);

    // Nothing owed any more: a later repair mails nothing.
    await repairInterruptedWork(t.platform);
    expect(bossMails()).toHaveLength(2);
    expect((await cliFor(t.dataDir)(['doctor'])).code).toBe(0);
  }, 90_000);

  it('is mailed once by a creation that finishes, and a repair afterwards mails nothing', async () => {
    expect((await cliFor(t.dataDir)(create)).code).toBe(0);
    expect(owed()).toBeNull();
    await repairInterruptedWork(t.platform);
    expect(bossMails()).toHaveLength(1);
  }, 60_000);

  it('is mailed again with a new link when the creation was killed after its mail, before it was marked sent', async () => {
    expect((await runAndKillAt(t.dataDir, 'owner-invitation:mailed', create)).pausedAt).toBe('owner-invitation:mailed');
    expect(bossMails()).toHaveLength(1);
    // The mark was not written: the repair cannot tell, and mails a new link (the one that works).
    await repairInterruptedWork(t.platform);
    const mails = bossMails();
    expect(mails).toHaveLength(2);
    expect(linkHash(mails[1].text)).toBe(pendingOwnerInvitations(t, t.platform.tenants.findBySlug('acme')!.id)[0].token_hash);
  }, 60_000);

  it("is left to the process that holds the tenant's lock (a creation mailing it right now)", async () => {
    expect((await runAndKillAt(t.dataDir, 'provisioning:after:mark-active', create)).signal).toBe('SIGKILL');
    const lock = holdTenantLock(t.dataDir, t.platform.tenants.findBySlug('acme')!.id);
    try {
      await repairInterruptedWork(t.platform);
      expect(bossMails()).toHaveLength(0);
      expect(owed()).toBe('boss@acme.test');
    } finally {
      lock.release({ remove: true });
    }
    await repairInterruptedWork(t.platform);
    expect(bossMails()).toHaveLength(1);
  }, 60_000);

  it('is owed no more once an operator gave the tenant that owner with Add owner', async () => {
    expect((await runAndKillAt(t.dataDir, 'provisioning:after:mark-active', create)).signal).toBe('SIGKILL');
    // The operator's own call, not the CLI's (which repairs first, and so would mail the one owed before).
    const added = await addOwner(t.platform, t.platform.tenants.findBySlug('acme')!.id, { email: 'boss@acme.test' }, CLI_OPERATOR);
    expect(added.invitation?.mailed).toBe(true);
    expect(bossMails()).toHaveLength(1);
    await repairInterruptedWork(t.platform);
    const mails = bossMails();
    expect(mails).toHaveLength(1);
    expect(linkHash(mails[0].text)).toBe(pendingOwnerInvitations(t, t.platform.tenants.findBySlug('acme')!.id)[0].token_hash);
  }, 60_000);
});
