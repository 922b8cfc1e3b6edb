import BetterSqlite3 from 'better-sqlite3';
import { msg } from '../../core/i18n/message';

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

/** The source's workflow mails waiting to be sent are to the source's members, about its items: never the copy's to send. */
function deleteQueuedMails(db: BetterSqlite3.Database): number {
  return hasTable(db, 'workflow_mails') ? db.prepare('delete from workflow_mails').run().changes : 0;
}

/**
 * A copy's webhook endpoints are its source's: the same addresses, and in a clone the same signing
 * secrets, so every event of the copy (a staging clone's test edits) would reach the source's
 * receivers, signed as the source's. They are paused, with the reason shown on the webhooks page;
 * an admin checks each address (and gives it a new secret where its secret cannot be read here:
 * an export carries none, another deployment's key opens none) and enables it; its waiting
 * deliveries go out then. The reason is held to its column (varchar(200)) whatever the source's name.
 */
function pauseWebhooks(db: BetterSqlite3.Database, source: string | null, keyId: string): void {
  if (!hasTable(db, 'webhook_endpoints')) return;
  const name = source === null ? null : [...source].slice(0, 60).join('');
  const reason = (secretReadable: boolean) => {
    if (name === null)
      return secretReadable
        ? msg('Paused: imported. Check its address, then enable it')
        : msg('Paused: imported. Check its address, give it a new secret, then enable it');
    return secretReadable
      ? msg('Paused: copied from {{source}}. Check its address, then enable it', { source: name })
      : msg('Paused: copied from {{source}}. Check its address, give it a new secret, then enable it', { source: name });
  };
  const pause = db.prepare('update webhook_endpoints set enabled = 0, disabled_reason = ?, updated_at = ? where enabled = 1 and (secret_key_id = ?) = ?');
  const now = Date.now();
  pause.run(reason(true), now, keyId, 1);
  pause.run(reason(false), now, keyId, 0);
}

/**
 * Webhook signing secrets, sealed with this deployment's key, blanked in a copy leaving it (an
 * export carries no value sealed with our key, decision 020): the import pauses the endpoints
 * and asks for a new secret. Answers how many were blanked.
 */
function blankSigningSecrets(db: BetterSqlite3.Database): number {
  if (!hasTable(db, 'webhook_endpoints')) return 0;
  return db
    .prepare("update webhook_endpoints set secret_ciphertext = x'', secret_iv = x'', secret_tag = x'', secret_key_id = '' where secret_key_id <> ''")
    .run().changes;
}

/**
 * What a tenant used of its plan's metered limits (API requests, CSV rows, items published and
 * created, by day): a copy that becomes another tenant starts with none of it, or it would begin
 * with its source's day and month used up (and an imported file could bring any figure at all).
 */
function deleteUsageCounters(db: BetterSqlite3.Database): number {
  return hasTable(db, 'usage_counters') ? db.prepare('delete from usage_counters').run().changes : 0;
}

/** Removes every secret, every webhook signing secret and every stored API answer from a copy leaving this deployment (an export). Returns the secrets' names. */
export function stripForExport(file: string): string[] {
  return removeFromCopy(file, (db) => {
    const names = deleteSecrets(db, '', []);
    return { result: names, removed: names.length + blankSigningSecrets(db) + deleteStoredReplies(db) + deleteQueuedMails(db) };
  });
}

/**
 * Removes the secrets not sealed with `keyId` (this deployment's key: they could never be opened
 * here), the stored API answers and the usage counters from an imported copy, and pauses its webhooks (`source`: the
 * exported tenant's slug; null for a bare database). Returns the secrets' names.
 */
export function stripForImport(file: string, keyId: string, source: string | null): string[] {
  return removeFromCopy(file, (db) => {
    pauseWebhooks(db, source, keyId);
    const names = deleteSecrets(db, 'where key_id <> ?', [keyId]);
    return { result: names, removed: names.length + deleteStoredReplies(db) + deleteUsageCounters(db) + deleteQueuedMails(db) };
  });
}

/** Removes the stored API answers (the source's replies, under its slug) and the source's usage counters from a clone's copy, and pauses its webhooks. */
export function stripForClone(file: string, source: string, keyId: string): void {
  removeFromCopy(file, (db) => {
    pauseWebhooks(db, source, keyId);
    return { result: undefined, removed: deleteStoredReplies(db) + deleteUsageCounters(db) + deleteQueuedMails(db) };
  });
}
