import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn, type Agent } from '../../support/http-agent';
import { addItem, fillTenant } from '../../support/tenant-data';
import { runCliChild } from '../../support/child-process';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { startFleetOperations, type FleetOperations } from '../../../control-plane/backups/fleet-operations';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

// Each case runs the real CLI in child processes (start-up, kill, repair): on a loaded 2-core
// machine that takes longer than the default 20 s.
jest.setTimeout(60_000);

/** The server runs in this process; `tenantry tenants restore` in another, as an operator would run it. */
describe('a restore run by the CLI while a server serves the tenant', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let member: Agent;
  let operations: FleetOperations;
  let backupId: string;

  beforeEach(async () => {
    t = await createTestPlatform();
    const { app } = createApp(t.platform);
    acme = await makeTenant(t.platform, 'acme');
    await fillTenant(t, acme);
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, acme, 'editor');
    member = await signIn(app, user.email);
    backupId = (await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' })).outcomes[0].backupId!;
    await addItem(t, acme, 'not in the backup');
    operations = startFleetOperations(t.platform);
  });
  afterEach(async () => {
    await operations.stop();
    await t.cleanup();
  });

  const cli = (args: string[]) => runCliChild(args, { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });

  it('drains the open handle of an idle server (which notices within a second) and swaps the data in', async () => {
    expect((await member.get('/t/acme/items')).status).toBe(200);
    expect(t.platform.router.isOpen(acme.id)).toBe(true);

    const run = await cli(['tenants', 'restore', 'acme', '--from', backupId, '--yes']);

    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain(`Restored acme from backup ${backupId}`);
    const after = await member.get('/t/acme/items');
    expect(after.status).toBe(200);
    expect(after.text).not.toContain('not in the backup');
  });

  it('answers members 503 with Retry-After meanwhile, never a 500', async () => {
    let running = true;
    const statuses: number[] = [];
    const load = (async () => {
      while (running) {
        const res = await member.get('/t/acme/items');
        statuses.push(res.status);
        if (res.status === 503) expect(res.headers['retry-after']).toBe('5');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const run = await cli(['tenants', 'restore', 'acme', '--from', backupId, '--yes']);
    running = false;
    await load;

    expect(run.code).toBe(0);
    expect(statuses).toContain(503);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    // The server notices the tenant is back within a second of the command's end.
    let after = await member.get('/t/acme/items');
    for (let waited = 0; after.status === 503 && waited < 2000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await member.get('/t/acme/items');
    }
    expect(after.status).toBe(200);
    expect(after.text).not.toContain('not in the backup');
  });
});
