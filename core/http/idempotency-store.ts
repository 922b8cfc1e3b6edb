import { AppError } from '../errors/app-errors';
import type { SqliteHandle } from '../db/sqlite-handle';

/** How long a key and its answer are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/**
 * A key reused with another request (422: the client must use a new key, retrying cannot help), or
 * still in use by a request under way (409: retry once it is done), as the IETF Idempotency-Key
 * draft tells them apart.
 */
export class IdempotencyConflictError extends AppError {
  constructor(code: 'idempotency_key_reused' | 'idempotency_key_in_use', message: string) {
    super(message, code, code === 'idempotency_key_reused' ? 422 : 409);
  }
}

/** Headers of an answer that are part of it, so a replay sends them too (a 201's `Location`). */
export type AnswerHeaders = Record<string, string>;

/** An answer as stored for a key and replayed to its repeats. */
export interface StoredAnswer {
  status: number;
  body: unknown;
  headers: AnswerHeaders;
}

/** What a stored key says about a new request carrying it. */
export type Claim = { kind: 'new' } | { kind: 'cut-off' } | ({ kind: 'replay' } & StoredAnswer);

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

  /**
   * A new key is recorded as pending (the in-flight marker); a known one is replayed or refused.
   * With `cutOff`, a pending key is known to be held by no request under way (its request was
   * killed or failed after its effect): it is `cut-off`, left pending for the caller to take over.
   */
  claim(principal: string, key: string, fingerprint: string, cutOff = false): Claim {
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
    if (row.state === 'pending' && cutOff) return { kind: 'cut-off' };
    if (row.state === 'pending')
      throw new IdempotencyConflictError(
        'idempotency_key_in_use',
        'A request with this Idempotency-Key is still being processed (or was cut off): check the result before sending it again with a new key.',
      );
    return { kind: 'replay', status: row.status ?? 200, ...readResponse(row.response) };
  }

  /**
   * The answer stored for this very request under the key (the same fingerprint, answered, not
   * expired), or undefined. Reads only: it claims nothing, for a request that is not to run.
   */
  answerFor(principal: string, key: string, fingerprint: string): StoredAnswer | undefined {
    const row = this.db.get<KeyRow>(
      'select fingerprint, state, status, response, expires_at from idempotency_keys where principal = ? and idem_key = ? and expires_at > ?',
      [principal, key, this.now()],
    );
    if (!row || row.fingerprint !== fingerprint || row.state !== 'done') return undefined;
    return { status: row.status ?? 200, ...readResponse(row.response) };
  }

  /** Stores the answer to replay: its body and headers, as `{ body, headers }` in the response column. */
  complete(principal: string, key: string, answer: StoredAnswer): void {
    this.db.run("update idempotency_keys set state = 'done', status = ?, response = ? where principal = ? and idem_key = ?", [
      answer.status,
      JSON.stringify({ body: answer.body ?? null, headers: answer.headers }),
      principal,
      key,
    ]);
  }

  /** The request failed without doing anything: the key may be used again. */
  release(principal: string, key: string): void {
    this.db.run("delete from idempotency_keys where principal = ? and idem_key = ? and state = 'pending'", [principal, key]);
  }
}

/**
 * The body and headers of a stored answer. A row stored before headers were kept holds the bare
 * body (every body of this API is an object with other keys, such as `{ data }`), replayed with none.
 */
function readResponse(response: string | null): { body: unknown; headers: AnswerHeaders } {
  const stored: unknown = response === null ? null : JSON.parse(response);
  if (isEnvelope(stored)) return stored;
  return { body: stored, headers: {} };
}

function isEnvelope(value: unknown): value is { body: unknown; headers: AnswerHeaders } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value).sort();
  const headers = (value as { headers?: unknown }).headers;
  return keys.length === 2 && keys[0] === 'body' && keys[1] === 'headers' && !!headers && typeof headers === 'object' && !Array.isArray(headers);
}
