import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { fillTenant, tenantState } from '../../support/tenant-data';
import { killCliAt } from '../../support/child-process';
import { recoverFleetOperations } from '../../../control-plane/backups/recover-operations';
import { exportTenant } from '../../../control-plane/transfer/export-tenant';
import { importTenant } from '../../../control-plane/transfer/import-tenant';
import { tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import { outboxMails } from '../../support/outbox';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { postForm, signIn } from '../../support/http-agent';
import { killServerAt } from '../../support/server-process';
import { repairInterruptedWork } from '../../../control-plane/doctor/run-doctor';

// Each case runs the real CLI in child processes (start-up, kill, repair): on a loaded 2-core
// machine that takes longer than the default 20 s.
jest.setTimeout(60_000);

/** Clones, exports and imports run by the real CLI in a child process and SIGKILLed at each named step (core/process/pause-point.ts). */
describe('transfers killed at any instant', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let env: Record<string, string>;
  let archive: string;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    await fillTenant(t, acme);
    archive = path.join(t.dataDir, 'acme.tar.gz');
    await exportTenant(t.platform, { slug: 'acme', out: archive, actorUserId: null });
    t.platform.router.closeAll();
    env = { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' };
  });
  afterEach(() => t.cleanup());

  /** Tenants, and every entry under tenants/ with the work folders' contents. */
  const footprint = () => {
    const root = tenantsRoot(t.dataDir);
    // Work folders (.importing/, .provisioning/, ...) are listed with what they hold; an empty one holds nothing.
    const walk = (dir: string): string[] =>
      fs.existsSync(dir)
        ? fs.readdirSync(dir).flatMap((n) => {
            if (!n.startsWith('.')) return [n];
            const inside = walk(path.join(dir, n)).map((c) => `${n}/${c}`);
            return inside.length ? [n, ...inside] : [];
          })
        : [];
    return { slugs: t.platform.tenants.list().map((x) => x.slug), entries: walk(root).sort() };
  };

  it.each(['import:extracted', 'import:verified', 'import:placed', 'import:promoted'])(
    'an import killed at %s leaves nothing once the next start has run, and can be run again',
    async (step) => {
      const before = footprint();
      const acmeBefore = tenantState(t.dataDir, acme.id);

      await killCliAt(step, ['tenants', 'import', archive, '--slug', 'acme-copy'], env);
      recoverFleetOperations(t.platform);

      expect(footprint()).toEqual(before);
      expect(tenantState(t.dataDir, acme.id)).toEqual(acmeBefore);
      const again = await importTenant(t.platform, { file: archive, slug: 'acme-copy', actorUserId: null });
      expect(again.tenant.status).toBe('active');
    },
  );

  it('an import with a new owner killed before it is active leaves no invitation and sends no mail; killed once active, no mail goes out twice', async () => {
    const invitations = () => t.platform.db.all<{ email: string }>('select email from invitations');
    await killCliAt('import:promoted', ['tenants', 'import', archive, '--slug', 'acme-copy', '--owner-email', 'boss@acme.test'], env);
    recoverFleetOperations(t.platform);
    expect(t.platform.tenants.findBySlug('acme-copy')).toBeUndefined();
    expect(invitations()).toEqual([]);
    expect(outboxMails(t.dataDir)).toEqual([]);

    // Killed after the commit that made it active (and its invitation), before the mail: the
    // tenant stays with its one invitation, unmailed (the link was never printed either), and
    // the next start mails nothing: add-owner gives a new link.
    await killCliAt('provisioning:after:mark-active', ['tenants', 'import', archive, '--slug', 'acme-copy', '--owner-email', 'boss@acme.test'], env);
    recoverFleetOperations(t.platform);
    expect(t.platform.tenants.findBySlug('acme-copy')).toMatchObject({ status: 'active' });
    expect(invitations()).toEqual([{ email: 'boss@acme.test' }]);
    expect(outboxMails(t.dataDir)).toEqual([]);
  });

  it.each(['clone:snapshot', 'clone:files', 'clone:placed', 'clone:promoted'])(
    'a clone killed at %s leaves the source as it was and nothing else once the next start has run',
    async (step) => {
      const before = footprint();
      const acmeBefore = tenantState(t.dataDir, acme.id);

      await killCliAt(step, ['tenants', 'clone', 'acme', '--to', 'acme-staging'], env);
      recoverFleetOperations(t.platform);

      expect(footprint()).toEqual(before);
      expect(tenantState(t.dataDir, acme.id)).toEqual(acmeBefore);
      expect(t.platform.tenants.findBySlug('acme-staging')).toBeUndefined();
    },
  );

  it.each(['export:snapshot', 'export:archive', 'export:written'])(
    'an export killed at %s writes no archive and its work folder goes at the next start',
    async (step) => {
      const out = path.join(t.dataDir, 'killed.tar.gz');
      const before = footprint();

      await killCliAt(step, ['tenants', 'export', 'acme', '--out', out], env);
      recoverFleetOperations(t.platform);

      expect(fs.readdirSync(t.dataDir).filter((n) => n.startsWith('killed'))).toEqual([]);
      expect(footprint()).toEqual(before);
    },
  );

  it("a workspace's export from its page, the server killed with the archive written before it was sent, leaves no copy of the data after the next start", async () => {
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    const before = footprint();

    await killServerAt(t.dataDir, 'export:download-ready', async (url) => postForm(await signIn(url, owner.email), '/t/acme/export', {}));
    expect(footprint().entries).toEqual(expect.arrayContaining([expect.stringMatching(/^\.exporting\/download-[0-9a-f]+-\d+$/)]));

    await repairInterruptedWork(t.platform);
    expect(footprint()).toEqual(before);
  }, 60_000);
});
