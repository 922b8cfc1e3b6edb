import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { fillTenant } from '../../support/tenant-data';
import { backupFleet } from '../../../control-plane/backups/backup-fleet';
import { listBackups } from '../../../control-plane/backups/list-backups';
import { backupIdAt, tenantBackupsDir } from '../../../control-plane/backups/backup-location';
import { pruneBackups } from '../../../control-plane/backups/prune-backups';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe('pruneBackups', () => {
  let t: TestPlatform;
  let acme: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    await fillTenant(t, acme);
  });
  afterEach(() => t.cleanup());

  const dir = () => tenantBackupsDir(t.config.backupDir, acme.id);
  const ids = () => listBackups(t.platform, acme.id).map((b) => b.id);
  const keep = (daily: number, weekly: number) => ({ ...t.platform.config, backupKeep: { daily, weekly } });

  /** A real backup of acme, moved to the folder of the given id (a time in the past). */
  async function backupAt(id: string): Promise<void> {
    const result = await backupFleet(t.platform, { slugs: ['acme'], trigger: 'cli' });
    fs.renameSync(path.join(dir(), result.outcomes[0].backupId!), path.join(dir(), id));
  }

  it('keeps the verified backup of a day when a folder copied in by hand is newer that day, and leaves that folder alone', async () => {
    await backupAt('20250101T030000000Z');
    await backupAt('20250102T030000000Z');
    await backupAt('20250103T030000000Z');
    // Copied in by hand the same day, after the scheduled one: no manifest, nothing to restore.
    fs.mkdirSync(path.join(dir(), '20250102T100000000Z'));
    fs.writeFileSync(path.join(dir(), '20250102T100000000Z', 'tenant.sqlite'), 'not a backup');

    const removed = pruneBackups(keep(2, 0), acme.id);

    expect(removed).toEqual(['20250101T030000000Z']);
    expect(ids()).toEqual(['20250103T030000000Z', '20250102T100000000Z', '20250102T030000000Z']);
    expect(
      listBackups(t.platform, acme.id)
        .filter((b) => b.verified)
        .map((b) => b.id),
    ).toEqual(['20250103T030000000Z', '20250102T030000000Z']);
  });

  it('never removes a folder that is not a verified backup of the tenant, however old', async () => {
    await backupAt('20250301T030000000Z');
    fs.mkdirSync(path.join(dir(), '20240101T030000000Z'));
    fs.writeFileSync(path.join(dir(), '20240101T030000000Z', 'manifest.json'), '{ cut off');

    expect(pruneBackups(keep(0, 0), acme.id)).toEqual([]);
    expect(ids()).toEqual(['20250301T030000000Z', '20240101T030000000Z']);
  });

  it('keeps the backup just taken when an earlier one is dated in the future by a clock that was ahead', async () => {
    await backupAt(backupIdAt(Date.now() + 200 * 86_400_000));
    const result = await backupFleet({ ...t.platform, config: keep(1, 0) }, { slugs: ['acme'], trigger: 'cli', prune: true });

    expect(result.outcomes[0].removed).toEqual([]);
    expect(ids()).toContain(result.outcomes[0].backupId);
  });

  it('takes no folder named with digits that name no time (a 13th month) for a backup, and backs up and prunes as ever beside it', async () => {
    await backupAt('20250101T030000000Z');
    await backupAt('20251301T030000000Z');

    const result = await backupFleet({ ...t.platform, config: keep(0, 0) }, { slugs: ['acme'], trigger: 'cli', prune: true });

    expect(result.outcomes[0]).toMatchObject({ outcome: 'backed_up', removed: ['20250101T030000000Z'] });
    expect(ids()).toEqual([result.outcomes[0].backupId]);
    expect(fs.existsSync(path.join(dir(), '20251301T030000000Z'))).toBe(true);
  });
});
