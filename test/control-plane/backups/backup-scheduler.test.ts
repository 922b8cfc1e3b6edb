import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { addItem, settleTenantFiles } from '../../support/tenant-data';
import { BackupScheduler, nextScheduledBackup } from '../../../control-plane/backups/backup-scheduler';
import { BackupStateRepository } from '../../../control-plane/backups/backup-state';
import { listBackups } from '../../../control-plane/backups/list-backups';
import { loadFleetPage } from '../../../control-plane/pages/fleet-page';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import { damage } from '../../support/damage';

describe('BackupScheduler', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let globex: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform({ BACKUP_SCHEDULE: '15 3 * * *' });
    acme = await makeTenant(t.platform, 'acme');
    globex = await makeTenant(t.platform, 'globex');
    // Created a minute ago: a run finds unchanged whatever its last backup took.
    settleTenantFiles(t.dataDir, acme.id);
    settleTenantFiles(t.dataDir, globex.id);
  });
  afterEach(() => t.cleanup());

  it('backs up, on a worker thread, only the tenants that changed since their last backup, then applies retention', async () => {
    const scheduler = new BackupScheduler(t.platform, '15 3 * * *');
    const first = await scheduler.runOnce();
    await addItem(t, acme, 'changed');

    const second = await scheduler.runOnce();

    expect(first).toMatchObject({ backedUp: 2, unchanged: 0 });
    expect(second).toMatchObject({ backedUp: 1, unchanged: 1 });
    const acmeOutcome = second?.outcomes.find((o) => o.outcome === 'backed_up');
    expect(acmeOutcome?.slug).toBe('acme');
    // Two backups on one day: the retention policy keeps the newest of the day.
    expect(acmeOutcome?.removed).toEqual([first?.outcomes.find((o) => o.slug === 'acme')?.backupId]);
    expect(listBackups(t.platform, acme.id).map((b) => [b.id, b.kind])).toEqual([[acmeOutcome?.backupId, 'scheduled']]);
    expect(listBackups(t.platform, globex.id)).toHaveLength(1);
    expect(new BackupStateRepository(t.platform.db).recentRuns(2).map((r) => [r.trigger, r.status])).toEqual([
      ['schedule', 'succeeded'],
      ['schedule', 'succeeded'],
    ]);
  });

  it('reports a damaged tenant it did not back up where an operator looks: its last backup error, a failed run, the fleet page', async () => {
    damage(t.platform, acme, 'a 0-byte file');
    t.platform.health.reportDamaged(acme.id, 'the database file is empty (0 bytes)', 'a test');

    const result = await new BackupScheduler(t.platform, '15 3 * * *').runOnce();

    expect(result).toMatchObject({ backedUp: 1, skipped: [expect.objectContaining({ slug: 'acme' })] });
    expect(new BackupStateRepository(t.platform.db).find(acme.id)?.last_error).toBe(
      'damaged, not backed up: the database file is empty (0 bytes) (found by a test)',
    );
    expect(new BackupStateRepository(t.platform.db).recentRuns(1)[0]).toMatchObject({ status: 'failed', tenants: 2, backed_up: 1, failed: 1 });
    expect(loadFleetPage(t.platform).backupProblems).toBe(1);
  });

  it('runs when its cron expression says, and stops', async () => {
    const scheduler = new BackupScheduler(t.platform, '* * * * * *').start();
    try {
      for (let waited = 0; listBackups(t.platform, acme.id).length === 0 && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await scheduler.stop();
    }
    expect(listBackups(t.platform, acme.id)[0]).toMatchObject({ kind: 'scheduled', verified: true });
  });

  it('stops between tenants when the server stops: the backup under way ends, the rest wait for the next run, and the run is interrupted', async () => {
    const scheduler = new BackupScheduler(t.platform, '15 3 * * *');
    const run = scheduler.runOnce();

    await scheduler.stop();

    const result = await run;
    expect(result).toMatchObject({ backedUp: 1, unchanged: 0 });
    expect(listBackups(t.platform, acme.id).length + listBackups(t.platform, globex.id).length).toBe(1);
    expect(new BackupStateRepository(t.platform.db).recentRuns(1).map((r) => [r.trigger, r.status])).toEqual([['schedule', 'interrupted']]);
    const next = await new BackupScheduler(t.platform, '15 3 * * *').runOnce();
    expect(next).toMatchObject({ backedUp: 1, unchanged: 1 });
  });

  it('tells when the schedule fires next', () => {
    expect(nextScheduledBackup('15 3 * * *', new Date('2025-03-10T12:00:00'))).toEqual(new Date('2025-03-11T03:15:00'));
    expect(nextScheduledBackup(undefined)).toBeNull();
  });
});

describe('the backup schedule across clock changes, in the server time zone', () => {
  /** The next `n` runs from `from`, and the zone named, as a server started with this TZ works them out. */
  function inZone(tz: string, schedule: string, from: string, n: number): { zone: string; runs: string[] } {
    const code = `
      const { nextScheduledBackup } = require('./control-plane/backups/backup-scheduler');
      const { serverTimeZone } = require('./core/time/zone-names');
      const runs = [];
      let after = new Date(${JSON.stringify(from)});
      for (let i = 0; i < ${n}; i++) runs.push((after = nextScheduledBackup(${JSON.stringify(schedule)}, after)).toISOString());
      console.log(JSON.stringify({ zone: serverTimeZone(), runs }));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], {
      cwd: path.resolve(__dirname, '../../..'),
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(child.stderr);
    return JSON.parse(child.stdout) as { zone: string; runs: string[] };
  }

  it('runs a 02:30 schedule once on the night the clocks go forward over it (at 03:00) and once on the night 02:30 comes twice', () => {
    expect(inZone('Europe/Paris', '30 2 * * *', '2026-03-28T12:00:00Z', 3)).toEqual({
      zone: 'Europe/Paris',
      runs: ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z'],
    });
    expect(inZone('Europe/Paris', '30 2 * * *', '2026-10-24T12:00:00Z', 3).runs).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it("names the zone TZ sets, by its current name, and UTC's when TZ says UTC", () => {
    expect(inZone('Asia/Calcutta', '15 3 * * *', '2026-01-10T00:00:00Z', 1)).toEqual({ zone: 'Asia/Kolkata', runs: ['2026-01-10T21:45:00.000Z'] });
    expect(inZone('UTC', '15 3 * * *', '2026-01-10T00:00:00Z', 1)).toEqual({ zone: 'UTC', runs: ['2026-01-10T03:15:00.000Z'] });
  });
});
