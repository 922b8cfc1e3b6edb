import fs from 'node:fs';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { runAndKillAt } from '../../support/killed-command';
import { cliFor } from '../../support/cli-runner';
import { endDueStatuses } from '../../../control-plane/lifecycle/end-due-statuses';
import { archiveRoot, tenantPaths } from '../../../tenant-runtime/tenant-paths';
import { locksDir } from '../../../control-plane/lifecycle/tenant-lock';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

/**
 * An archive whose restore window ends while a command working on it was cut off (SIGKILL after
 * it recorded its operation, before it moved the folder): the purge the window's end owes goes
 * through the purge's own path, which finishes the archive's move first and never writes over a
 * restore an operator asked for.
 */
describe('the purge of an archive whose restore window ended', () => {
  let t: TestPlatform;
  let acme: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
  });
  afterEach(() => t.cleanup());

  const windowEnded = () => t.platform.db.run('update tenants set status_until = 1 where id = ?', [acme.id]);

  it('finishes an archive whose folder move was cut off, then removes its files: none is left in the live tree', async () => {
    expect(await runAndKillAt(t.dataDir, 'archive:marked', ['tenants', 'archive', 'acme', '--yes'])).toMatchObject({ signal: 'SIGKILL' });
    windowEnded();

    const outcomes = await endDueStatuses(t.platform);

    expect(outcomes).toEqual([{ tenantId: acme.id, slug: 'acme', action: 'purge' }]);
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'purged', pending_operation: null });
    expect(fs.existsSync(tenantPaths(t.dataDir, acme.id).dir)).toBe(false);
    expect(fs.existsSync(tenantPaths(t.dataDir, acme.id, 'archive').dir)).toBe(false);
    expect(fs.readdirSync(archiveRoot(t.dataDir))).toEqual([]);
    expect(fs.readdirSync(locksDir(t.dataDir))).toEqual([]);
  }, 40_000);

  it('finishes a restore an operator asked for instead of purging the tenant it brings back', async () => {
    await cliFor(t.dataDir)(['tenants', 'archive', 'acme', '--yes']);
    expect(await runAndKillAt(t.dataDir, 'restore:marked', ['tenants', 'restore', 'acme'])).toMatchObject({ signal: 'SIGKILL' });
    windowEnded();

    const outcomes = await endDueStatuses(t.platform);

    expect(outcomes).toEqual([]);
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'active', pending_operation: null });
    expect(fs.existsSync(tenantPaths(t.dataDir, acme.id).database)).toBe(true);
    expect(fs.existsSync(tenantPaths(t.dataDir, acme.id, 'archive').dir)).toBe(false);
  }, 40_000);
});
