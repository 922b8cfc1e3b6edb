export interface RetentionPolicy {
  /** Keep the newest backup of each of this many most recent days that have a backup. */
  daily: number;
  /** Keep the newest backup of each of this many most recent ISO weeks that have a backup. */
  weekly: number;
}

export interface RetainedBackup {
  id: string;
  takenAt: number;
  kind: string;
  /** It can be restored (list-backups.ts): only such a backup counts as the one kept for a day or a week. */
  verified: boolean;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO 8601 week (UTC): weeks start on Monday and belong to the year of their Thursday. */
function weekOf(ms: number): string {
  const date = new Date(ms);
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 4 - (date.getUTCDay() || 7)));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Which backups retention removes. Kept: the newest backup of each of the `daily` most recent
 * days that have one, of each of the `weekly` most recent ISO weeks that have one, the newest
 * backup of all, and the newest `pre-restore` backup (the way back from the last restore).
 * Everything else goes. Days and weeks are UTC.
 *
 * Only verified backups count and go: a folder that cannot be restored (no readable manifest,
 * another tenant's, a failed check, a damaged state a restore replaced) never stands for its day
 * or its week, and is never removed: whoever put it there decides what becomes of it. Nor does a
 * backup dated after `now` (taken while the clock was ahead, then set back): every backup taken
 * since is newer, though its id is earlier, so it would otherwise stand for the newest backup, for
 * today and this week, and the backup just taken would go. It is counted once its time has come.
 */
export function backupsToRemove(backups: RetainedBackup[], policy: RetentionPolicy, now = Date.now()): RetainedBackup[] {
  const newestFirst = [...backups].sort((a, b) => b.takenAt - a.takenAt || b.id.localeCompare(a.id));
  const keep = new Set<string>();
  const preRestore = newestFirst.find((b) => b.kind === 'pre-restore');
  if (preRestore) keep.add(preRestore.id);
  const counted = newestFirst.filter((b) => b.verified && b.takenAt <= now);
  if (counted[0]) keep.add(counted[0].id);
  const keepNewestPer = (bucket: (ms: number) => string, count: number) => {
    const seen = new Set<string>();
    for (const backup of counted) {
      const key = bucket(backup.takenAt);
      if (seen.has(key)) continue;
      if (seen.size >= count) break;
      seen.add(key);
      keep.add(backup.id);
    }
  };
  keepNewestPer(dayOf, policy.daily);
  keepNewestPer(weekOf, policy.weekly);
  return counted.filter((b) => !keep.has(b.id));
}
