import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { fillTenant } from '../../support/tenant-data';
import { killCliAt } from '../../support/child-process';
import { runDoctor } from '../../../control-plane/doctor/run-doctor';
import { tenantBackupsDir } from '../../../control-plane/backups/backup-location';
import { locksDir } from '../../../control-plane/lifecycle/tenant-lock';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';

describe("the doctor's sweep of backups cut off", () => {
  let t: TestPlatform;
  let acme: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme');
    await fillTenant(t, acme);
    t.platform.router.closeAll();
  });
  afterEach(() => t.cleanup());

  const backups = () => fs.readdirSync(tenantBackupsDir(t.config.backupDir, acme.id)).sort();
  const debris = (findings: Awaited<ReturnType<typeof runDoctor>>['findings']) => findings.filter((f) => f.check === 'debris');

  it("reports the copy of a backup killed before it was renamed into place, and the tenant's lock file it held, and removes both with --fix, leaving a running backup's copy alone", async () => {
    await killCliAt('backup:verified', ['tenants', 'backup', 'acme'], { DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    const [partial] = backups();
    expect(partial).toMatch(/^\.partial-\d{8}T\d{9}Z-\d+$/);
    // A backup still being written by a live process (here a sleeping one) is not debris.
    const sleeper = spawn('sleep', ['30']);
    const live = `.partial-20260101T000000000Z-${sleeper.pid}`;
    fs.mkdirSync(path.join(tenantBackupsDir(t.config.backupDir, acme.id), live));
    try {
      const report = await runDoctor({ platform: t.platform, fix: false, deep: false });
      expect(debris(report.findings)).toEqual([
        expect.objectContaining({ subject: `locks/tenant-${acme.id}.lock`, problem: 'a lock file nobody holds' }),
        expect.objectContaining({
          subject: path.join(tenantBackupsDir(t.config.backupDir, acme.id), partial),
          problem: 'a partial backup left by a backup that stopped',
        }),
      ]);
      expect(backups()).toEqual([partial, live].sort());

      const fixed = await runDoctor({ platform: t.platform, fix: true, deep: false });
      expect(debris(fixed.findings)).toEqual([expect.objectContaining({ fixed: true }), expect.objectContaining({ fixed: true })]);
      expect(backups()).toEqual([live]);
      expect(fs.readdirSync(locksDir(t.dataDir))).toEqual([]);
    } finally {
      sleeper.kill('SIGKILL');
    }
  }, 60_000);
});
