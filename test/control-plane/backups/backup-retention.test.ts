import { backupsToRemove } from '../../../control-plane/backups/backup-retention';

const at = (iso: string, kind = 'scheduled', verified = true) => ({ id: iso, takenAt: Date.parse(iso), kind, verified });
const ids = (backups: Array<{ id: string }>) => backups.map((b) => b.id).sort();

describe('backupsToRemove', () => {
  it('keeps the newest backup of each of the last N days that have one, and removes the rest of those days', () => {
    const backups = [
      at('2025-03-10T03:00:00Z'),
      at('2025-03-10T15:00:00Z'),
      at('2025-03-09T03:00:00Z'),
      at('2025-03-07T03:00:00Z'),
      at('2025-03-01T03:00:00Z'),
    ];
    expect(ids(backupsToRemove(backups, { daily: 3, weekly: 0 }))).toEqual(['2025-03-01T03:00:00Z', '2025-03-10T03:00:00Z']);
  });

  it('keeps the newest backup of each of the last M ISO weeks on top of the daily ones', () => {
    // Weeks (Monday to Sunday): 2025-W11 holds the 10th-16th, W10 the 3rd-9th, W09 Feb 24th - Mar 2nd.
    const backups = [
      at('2025-03-12T03:00:00Z'),
      at('2025-03-10T03:00:00Z'),
      at('2025-03-09T03:00:00Z'),
      at('2025-03-04T03:00:00Z'),
      at('2025-03-01T03:00:00Z'),
      at('2025-02-22T03:00:00Z'),
    ];
    expect(ids(backupsToRemove(backups, { daily: 1, weekly: 3 }))).toEqual(['2025-02-22T03:00:00Z', '2025-03-04T03:00:00Z', '2025-03-10T03:00:00Z']);
  });

  it('always keeps the newest backup and the newest pre-restore backup, even with nothing to keep', () => {
    const backups = [
      at('2025-03-10T03:00:00Z'),
      at('2025-03-05T03:00:00Z', 'pre-restore'),
      at('2025-03-04T03:00:00Z', 'pre-restore'),
      at('2025-03-01T03:00:00Z'),
    ];
    expect(ids(backupsToRemove(backups, { daily: 0, weekly: 0 }))).toEqual(['2025-03-01T03:00:00Z', '2025-03-04T03:00:00Z']);
  });

  it('never lets a folder that cannot be restored stand for its day or its week, and never removes it', () => {
    const backups = [
      at('2025-03-12T03:00:00Z', 'unknown', false),
      at('2025-03-11T03:00:00Z'),
      at('2025-03-10T15:00:00Z', 'unknown', false),
      at('2025-03-10T03:00:00Z'),
      at('2025-03-03T03:00:00Z', 'manual', false),
      at('2025-03-03T02:00:00Z'),
      at('2025-02-01T03:00:00Z', 'unknown', false),
    ];

    // The newest restorable backup, the restorable one of each of the two last days and of each
    // of the two last weeks; nothing unverified is counted or removed.
    expect(ids(backupsToRemove(backups, { daily: 2, weekly: 2 }))).toEqual([]);
    expect(ids(backupsToRemove(backups, { daily: 1, weekly: 0 }))).toEqual(['2025-03-03T02:00:00Z', '2025-03-10T03:00:00Z']);
  });

  it('counts a backup dated after now (the clock was ahead when it was taken) only once its time comes, and keeps the backup just taken', () => {
    const now = Date.parse('2025-03-10T03:00:05Z');
    const backups = [at('2025-09-01T03:00:00Z'), at('2025-03-10T03:00:00Z'), at('2025-03-09T03:00:00Z'), at('2025-03-08T03:00:00Z')];

    expect(ids(backupsToRemove(backups, { daily: 1, weekly: 0 }, now))).toEqual(['2025-03-08T03:00:00Z', '2025-03-09T03:00:00Z']);
    expect(ids(backupsToRemove(backups, { daily: 2, weekly: 0 }, now))).toEqual(['2025-03-08T03:00:00Z']);
    expect(ids(backupsToRemove(backups, { daily: 1, weekly: 0 }, Date.parse('2025-09-02T00:00:00Z')))).toEqual([
      '2025-03-08T03:00:00Z',
      '2025-03-09T03:00:00Z',
      '2025-03-10T03:00:00Z',
    ]);
  });

  it('removes nothing from an empty list', () => {
    expect(backupsToRemove([], { daily: 7, weekly: 4 })).toEqual([]);
  });
});
