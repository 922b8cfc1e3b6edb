import type { TenantDatabase } from '../../tenant-runtime/tenant-database';

/**
 * The revision of a form of settings (the settings page's fields, the workflow rules): a counter in
 * the tenant's own `settings` table, 1 until the first change, raised by each change the form's
 * command makes. A page carries it in a hidden field and an API client may send it back; the
 * command compares it inside its write (`checkFormRevision`, docs/decisions/048-stale-revisions.md).
 */
export const SETTINGS_REVISION_KEY = 'settings_revision';
export const WORKFLOW_RULES_REVISION_KEY = 'workflow_rules_revision';

/** A stored revision, read from its JSON value: anything but a positive whole number reads as 1. */
export function revisionOf(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? value : 1;
}

function parsed(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The revision stored under `key`. */
export function readSettingsRevision(db: TenantDatabase, key: string): number {
  return revisionOf(parsed(db.get<{ value: string }>('select value from settings where key = ?', [key])?.value));
}

/** Stores the revision under `key`; called inside the write that made the change. */
export function writeSettingsRevision(db: TenantDatabase, key: string, revision: number): void {
  db.run(
    'insert into settings (key, value, updated_at) values (?, ?, ?) on conflict(key) do update set value = excluded.value, updated_at = excluded.updated_at',
    [key, JSON.stringify(revision), Date.now()],
  );
}
