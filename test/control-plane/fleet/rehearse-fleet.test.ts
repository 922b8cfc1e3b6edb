import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { CLI_ENTRY, killCliAt, runCliChild, startChild } from '../../support/child-process';
import { tenantMigrationSource } from '../../../tenant-runtime/tenant-migrator';

// The real CLI in child processes (start-up, worker threads, a kill): slower than the default 20 s on 2 cores.
jest.setTimeout(60_000);

/** The real tenant migrations without the newest: tenants made with it are one migration behind the real CLI. */
function migrationsOneBehind(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-migrations-'));
  for (const migration of tenantMigrationSource().migrations.slice(0, -1)) fs.copyFileSync(migration.path!, path.join(dir, path.basename(migration.path!)));
  return dir;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tenantry tenants migrate --rehearse cut off', () => {
  let t: TestPlatform;
  let oneBehind: string;
  /** The temporary folder the CLI is given (TMPDIR): its rehearsal folders are all that is in it. */
  let tmp: string;

  beforeEach(async () => {
    oneBehind = migrationsOneBehind();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-tmpdir-'));
    t = await createTestPlatform({}, { tenantMigrationsDir: oneBehind });
    for (const slug of ['acme', 'globex']) await makeTenant(t.platform, slug);
    t.platform.router.closeAll();
  });
  afterEach(async () => {
    await t.cleanup();
    fs.rmSync(oneBehind, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const env = () => ({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent', TMPDIR: tmp });
  const rehearsalFolders = () => fs.readdirSync(tmp).filter((name) => name.startsWith('tenantry-rehearsal-'));
  const snapshotsIn = (folder: string) => fs.readdirSync(path.join(tmp, folder, 'tenants'));

  it('removes its snapshots of tenant data when interrupted (Ctrl-C)', async () => {
    const marker = path.join(tmp, 'paused');
    // Two lanes: the migrations pause on worker threads, and the main thread answers the signal.
    const child = startChild(CLI_ENTRY, ['tenants', 'migrate', '--rehearse', '--concurrency', '2'], {
      ...env(),
      TENANTRY_PAUSE_AT: 'migrate:committed',
      TENANTRY_PAUSE_FILE: marker,
    });
    for (let waited = 0; !fs.existsSync(marker) && waited < 30_000; waited += 20) await sleep(20);
    const [folder] = rehearsalFolders();
    expect(snapshotsIn(folder).length).toBeGreaterThan(0);

    child.process.kill('SIGINT');
    const { signal } = await child.exited;

    expect(signal).toBe('SIGINT');
    expect(rehearsalFolders()).toEqual([]);
  });

  it('leaves the snapshots of a rehearsal killed outright to the next one, which removes them', async () => {
    await killCliAt('migrate:committed', ['tenants', 'migrate', '--rehearse', '--concurrency', '1'], env());
    const [killed] = rehearsalFolders();
    expect(snapshotsIn(killed)).toHaveLength(1);
    // A rehearsal still running (this process stands for one) keeps its folder.
    const running = `tenantry-rehearsal-${process.pid}-running`;
    fs.mkdirSync(path.join(tmp, running));

    const next = await runCliChild(['tenants', 'migrate', '--rehearse', '--json'], env());

    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ rehearsed: 2, failed: 0 });
    expect(rehearsalFolders()).toEqual([running]);
  });
});
