import BetterSqlite3 from 'better-sqlite3';

/**
 * Workflow mails a restored backup still held as waiting (queued, or taken by a send) were sent,
 * given up or left unsure by the state the restore replaces, after the backup was taken: sent
 * from the restored file they would reach their recipients a second time, days later. They are
 * deleted from the restored file (its migrations applied, no handle open), durably, before the
 * restore commits (decision 054: a mail twice is worse than one missed). Mails the backup holds as
 * ended (failed, dropped, unsure) stay as they are, to be deleted 30 days after they ended as any
 * other. Answers how many were deleted, and how many ended ones stay.
 */
export function dropWaitingMails(file: string): { dropped: number; ended: number } {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = FULL');
    if (!db.prepare("select 1 from sqlite_master where type = 'table' and name = 'workflow_mails'").get()) return { dropped: 0, ended: 0 };
    db.exec('BEGIN IMMEDIATE');
    try {
      const dropped = db.prepare("delete from workflow_mails where state in ('pending', 'sending')").run().changes;
      const { ended } = db.prepare("select count(*) as ended from workflow_mails where state in ('failed', 'dropped', 'unsure')").get() as { ended: number };
      db.exec('COMMIT');
      return { dropped, ended };
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  } finally {
    db.close();
  }
}
