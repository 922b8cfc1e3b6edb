import BetterSqlite3 from 'better-sqlite3';

/**
 * Runs `remove` on a copy of a tenant database (never the live one) and, when it removed rows,
 * rewrites the file so no page still holds them. Answers what `remove` did.
 */
function removeFromCopy<T>(file: string, remove: (db: BetterSqlite3.Database) => { result: T; removed: number }): T {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    const { result, removed } = remove(db);
    if (removed) db.exec('VACUUM');
    return result;
  } finally {
    db.close();
  }
}

const hasTable = (db: BetterSqlite3.Database, name: string) => Boolean(db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name));

/** Deletes the secrets the filter picks and answers their names. */
function deleteSecrets(db: BetterSqlite3.Database, where: string, params: unknown[]): string[] {
  if (!hasTable(db, 'secrets')) return [];
  const names = (db.prepare(`select name from secrets ${where} order by name`).all(...params) as Array<{ name: string }>).map((r) => r.name);
  if (names.length) db.prepare(`delete from secrets ${where}`).run(...params);
  return names;
}

/**
 * The API answers kept for idempotency keys are this deployment's replies to its own clients:
 * they may hold an invitation's link, and mean nothing to a copy elsewhere or under another slug.
 */
function deleteStoredReplies(db: BetterSqlite3.Database): number {
  return hasTable(db, 'idempotency_keys') ? db.prepare('delete from idempotency_keys').run().changes : 0;
}

/** Removes every secret and every stored API answer from a copy leaving this deployment (an export). Returns the secrets' names. */
export function stripForExport(file: string): string[] {
  return removeFromCopy(file, (db) => {
    const names = deleteSecrets(db, '', []);
    return { result: names, removed: names.length + deleteStoredReplies(db) };
  });
}

/** Removes the secrets not sealed with `keyId` (this deployment's key: they could never be opened here) and the stored API answers from an imported copy. */
export function stripForImport(file: string, keyId: string): string[] {
  return removeFromCopy(file, (db) => {
    const names = deleteSecrets(db, 'where key_id <> ?', [keyId]);
    return { result: names, removed: names.length + deleteStoredReplies(db) };
  });
}

/** Removes the stored API answers from a clone's copy: they were the source's replies, under its slug. */
export function stripForClone(file: string): void {
  removeFromCopy(file, (db) => ({ result: undefined, removed: deleteStoredReplies(db) }));
}
