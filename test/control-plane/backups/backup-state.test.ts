import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { BackupStateRepository } from '../../../control-plane/backups/backup-state';
import { repairInterruptedWork, runDoctor } from '../../../control-plane/doctor/run-doctor';

describe('backup runs', () => {
  let t: TestPlatform;
  let state: BackupStateRepository;

  beforeEach(async () => {
    t = await createTestPlatform();
    state = new BackupStateRepository(t.platform.db);
  });
  afterEach(() => t.cleanup());

  /** A run recorded as running by another process (this test's parent, alive while it runs). */
  const runOfAnotherLiveProcess = (trigger: string) =>
    Number(
      t.platform.db.run("insert into backup_runs (trigger, status, tenants, started_at, pid) values (?, 'running', 1, ?, ?)", [
        trigger,
        Date.now(),
        process.ppid,
      ]).lastInsertRowid,
    );
  const statusOf = (id: number) => t.platform.db.get<{ status: string }>('select status from backup_runs where id = ?', [id])?.status;

  it('a run of another process that is alive stays running when a run of the same trigger starts', () => {
    const other = runOfAnotherLiveProcess('cli');

    const mine = state.startRun('cli', 1);

    expect(statusOf(other)).toBe('running');
    expect(statusOf(mine)).toBe('running');
  });

  it('a run of another process that is alive, and one of this process under way, are left running by the doctor and read as running', async () => {
    const other = runOfAnotherLiveProcess('schedule');
    const mine = state.startRun('console', 1);

    const report = await runDoctor({ platform: t.platform, fix: true, deep: false });

    expect(report.findings.filter((f) => f.subject.startsWith('backup run'))).toEqual([]);
    expect([statusOf(other), statusOf(mine)]).toEqual(['running', 'running']);
    expect(state.recentRuns().map((r) => r.status)).toEqual(['running', 'running']);
  });

  it('a run this process no longer runs (a server restarted under the same pid) is cut off', () => {
    const id = Number(
      t.platform.db.run("insert into backup_runs (trigger, status, tenants, started_at, pid) values ('schedule', 'running', 1, ?, ?)", [
        Date.now(),
        process.pid,
      ]).lastInsertRowid,
    );

    expect(state.markCutOffRuns()).toBe(1);
    expect(statusOf(id)).toBe('interrupted');
  });

  it('a run left running by the release before runs named their process (no pid) is marked interrupted by the next server start', async () => {
    const id = Number(
      t.platform.db.run("insert into backup_runs (trigger, status, tenants, started_at) values ('cli', 'running', 1, ?)", [Date.now()]).lastInsertRowid,
    );

    await repairInterruptedWork(t.platform);

    expect(statusOf(id)).toBe('interrupted');
  });
});
