import { AppError } from '../errors/app-errors';
import type { SqliteHandle } from '../db/sqlite-handle';

/** How long a key and its answer are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** A key reused with another body, or still in use by a request under way: 409 with its own code. */
export class IdempotencyConflictError extends AppError {
  constructor(code: 'idempotency_key_reused' | 'idempotency_key_in_use', message: string) {
    super(message, code, 409);
  }
}

/** What a stored key says about a new request carrying it. */
export type Claim = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown };

interface KeyRow {
  fingerprint: string;
  state: 'pending' | 'done';
  status: number | null;
  response: string | null;
  expires_at: number;
}

/**
 * Idempotency keys in a database of either track (tenant migration 0018,
 * platform migration 0022). `claim` must run inside the database's write transaction
 * (BEGIN IMMEDIATE), so two requests with one key cannot both find it new.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: SqliteHandle,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new key is recorded as pending (the in-flight marker); a known one is replayed or refused. */
  claim(principal: string, key: string, fingerprint: string): Claim {
    const now = this.now();
    this.db.run('delete from idempotency_keys where expires_at <= ?', [now]);
    const row = this.db.get<KeyRow>('select fingerprint, state, status, response, expires_at from idempotency_keys where principal = ? and idem_key = ?', [
      principal,
      key,
    ]);
    if (!row) {
      this.db.run("insert into idempotency_keys (principal, idem_key, fingerprint, state, created_at, expires_at) values (?, ?, ?, 'pending', ?, ?)", [
        principal,
        key,
        fingerprint,
        now,
        now + IDEMPOTENCY_TTL_MS,
      ]);
      return { kind: 'new' };
    }
    if (row.fingerprint !== fingerprint)
      throw new IdempotencyConflictError('idempotency_key_reused', 'This Idempotency-Key was used with another request; use a new key for a new request.');
    if (row.state === 'pending')
      throw new IdempotencyConflictError(
        'idempotency_key_in_use',
        'A request with this Idempotency-Key is still being processed (or was cut off): check the result before sending it again with a new key.',
      );
    return { kind: 'replay', status: row.status ?? 200, body: row.response === null ? null : JSON.parse(row.response) };
  }

  /** Stores the answer to replay. */
  complete(principal: string, key: string, status: number, body: unknown): void {
    this.db.run("update idempotency_keys set state = 'done', status = ?, response = ? where principal = ? and idem_key = ?", [
      status,
      JSON.stringify(body ?? null),
      principal,
      key,
    ]);
  }

  /** The request failed without doing anything: the key may be used again. */
  release(principal: string, key: string): void {
    this.db.run("delete from idempotency_keys where principal = ? and idem_key = ? and state = 'pending'", [principal, key]);
  }
}
