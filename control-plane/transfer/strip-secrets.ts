import BetterSqlite3 from 'better-sqlite3';

/**
 * Removes every secret from a copy of a tenant database (never the live one) and rewrites the
 * file, so no page still holds the ciphertext. Returns the names removed.
 */
export function stripSecrets(file: string): string[] {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    if (!db.prepare("select 1 from sqlite_master where type = 'table' and name = 'secrets'").get()) return [];
    const names = (db.prepare('select name from secrets order by name').all() as Array<{ name: string }>).map((r) => r.name);
    if (!names.length) return [];
    db.prepare('delete from secrets').run();
    db.exec('VACUUM');
    return names;
  } finally {
    db.close();
  }
}

/** Removes the secrets not sealed with `keyId` (this deployment's key): they could never be opened here. */
export function stripForeignSecrets(file: string, keyId: string): string[] {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    if (!db.prepare("select 1 from sqlite_master where type = 'table' and name = 'secrets'").get()) return [];
    const names = (db.prepare('select name from secrets where key_id <> ? order by name').all(keyId) as Array<{ name: string }>).map((r) => r.name);
    if (!names.length) return [];
    db.prepare('delete from secrets where key_id <> ?').run(keyId);
    db.exec('VACUUM');
    return names;
  } finally {
    db.close();
  }
}
