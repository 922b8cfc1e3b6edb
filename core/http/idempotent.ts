import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { AppError, ValidationError } from '../errors/app-errors';
import type { Config } from '../config/load-config';
import type { SqliteHandle } from '../db/sqlite-handle';
import { IdempotencyStore, type AnswerHeaders, type Claim, type StoredAnswer } from './idempotency-store';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Where a request's key is kept (the database its operation writes: the tenant's file, or the control plane) and whose key it is. */
export interface IdempotencyScope {
  /** The tenant's file or the control plane, named by its file (another handle on it is the same database). */
  db: SqliteHandle & { readonly file: string };
  /** The token, or the signed-in user, that sent the request: keys of different clients never meet. */
  principal: string;
  /** The server's secret its fingerprints are keyed with (config.sessionSecret, stable across restarts): see requestFingerprint. */
  secret: string;
}

/** The keys of `principal` kept in `db`, fingerprinted with the server's secret from its configuration. */
export function keyScope(db: IdempotencyScope['db'], principal: string, config: Pick<Config, 'sessionSecret'>): IdempotencyScope {
  return { db, principal, secret: config.sessionSecret };
}

/** Whose keys these are: the token, or the signed-in user. */
export function principalOf(req: Request): string {
  return req.apiToken?.tokenId ?? req.user?.id ?? 'anonymous';
}

/** The request's key, if it sent one; a malformed key is a 400 naming the header. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get(IDEMPOTENCY_HEADER);
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) throw ValidationError.single(IDEMPOTENCY_HEADER, 'must be 1-255 visible ASCII characters');
  return key;
}

/** Deeper than any body of this API: a body nested further is refused, not walked until the stack runs out. */
const MAX_DEPTH = 64;

function canonical(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw ValidationError.single('body', `nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((item) => canonical(item, depth + 1));
  if (value && typeof value === 'object' && !Buffer.isBuffer(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k], depth + 1)]),
    );
  return value;
}

/** No body and an empty one (`{}`) are the same request: the API reads both as no fields. */
function bodyOf(req: Request): unknown {
  const body: unknown = req.body;
  return body && typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body) && !Object.keys(body).length ? null : (body ?? null);
}

/**
 * What makes two requests "the same": method, path, body (keys in any order; none and `{}` alike)
 * and an uploaded file's bytes. Fields that mean the same but are spelt differently (`force: false`
 * and no `force`) are other requests: a key is for one request, resent as it was. Not the query
 * string: no POST of the API reads one (decision 024); one that comes to must add it here. Keyed
 * with a key derived from the server's secret: the fingerprint kept with a key (in the tenant's
 * file and its backups for a day) tells nothing of the body, such as a secret's value, to whoever
 * reads the file without the server's secrets.
 */
export function requestFingerprint(req: Request, secret: string): string {
  const key = crypto.createHmac('sha256', secret).update('idempotency fingerprint').digest();
  const hash = crypto.createHmac('sha256', key);
  hash.update(`${req.method} ${req.originalUrl.split('?')[0]}\n`);
  hash.update(JSON.stringify(canonical(bodyOf(req))) ?? 'null');
  if (req.file?.buffer) hash.update('\nfile:').update(req.file.originalname).update(req.file.buffer);
  return hash.digest('hex');
}

/** The headers a handler sets that belong to its answer and are replayed with it (not the request's own, such as its id). */
const ANSWER_HEADERS = ['Location'];

function answerHeaders(res: Response): AnswerHeaders {
  const headers: AnswerHeaders = {};
  for (const name of ANSWER_HEADERS) {
    const value = res.get(name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/** Collects what the handler answers instead of sending it, so it can be stored first. */
function captureJson(res: Response): () => StoredAnswer | undefined {
  let captured: StoredAnswer | undefined;
  const send = res.json.bind(res);
  res.json = (body: unknown) => {
    captured = { status: res.statusCode, body, headers: answerHeaders(res) };
    return res;
  };
  return () => {
    res.json = send;
    return captured;
  };
}

function replay(res: Response, answer: StoredAnswer): void {
  res.set('Idempotent-Replayed', 'true').set(answer.headers).status(answer.status).json(answer.body);
}

/**
 * Replays the answer stored under the request's Idempotency-Key for this very request (the same
 * principal, method, path and body), as a repeat is replayed, and says whether it did; without a
 * key, with a malformed one, or with nothing stored for it, it answers nothing. It reads only: for
 * a request that is not to run, from someone no longer let in where the key is kept (a member who
 * removed themselves), whose own first answer this is.
 */
export function replayStoredAnswer(scope: IdempotencyScope, req: Request, res: Response): boolean {
  const key = req.get(IDEMPOTENCY_HEADER);
  if (key === undefined || !KEY_PATTERN.test(key)) return false;
  const answer = new IdempotencyStore(scope.db).answerFor(scope.principal, key, requestFingerprint(req, scope.secret));
  if (answer) replay(res, answer);
  return answer !== undefined;
}

/**
 * Runs a synchronous JSON handler under an Idempotency-Key: the key is claimed, the work done and
 * the answer stored in one write transaction on the scope's database (the handler's own
 * transactions nest inside it; the scope must be the database the handler writes, decision 024), so a request killed at any point leaves either nothing or the
 * work with its answer. A repeat with the same body replays the answer; with another body, 422.
 * A refusal (the handler throws: 400, 404, 409...) rolls the claim back with everything else, so
 * nothing is kept for it: the corrected request may use the key, and a repeat is asked again.
 */
export function runIdempotent(scope: IdempotencyScope, req: Request, res: Response, handler: () => unknown): void {
  const key = idempotencyKeyOf(req);
  if (key === undefined) {
    handler();
    return;
  }
  const store = new IdempotencyStore(scope.db);
  const fingerprint = requestFingerprint(req, scope.secret);
  const restore = captureJson(res);
  let outcome: { replayed: true; answer: StoredAnswer } | { replayed: false; answer?: StoredAnswer };
  try {
    outcome = scope.db.write(() => {
      const claim = store.claim(scope.principal, key, fingerprint);
      if (claim.kind === 'replay') return { replayed: true as const, answer: claim };
      const result = handler();
      if (result instanceof Promise) throw new Error('runIdempotent needs a synchronous handler; use runIdempotentAsync');
      const answer = restore();
      if (answer) store.complete(scope.principal, key, answer);
      else store.release(scope.principal, key);
      return { replayed: false as const, answer };
    });
  } finally {
    restore();
  }
  if (outcome.replayed) return replay(res, outcome.answer);
  if (outcome.answer) res.status(outcome.answer.status).json(outcome.answer.body);
}

/**
 * Stores a request's answer before its handler is done, inside the write transaction of the
 * scope's database that commits the operation's effect, so the effect never commits without an
 * answer (a request killed or failing after it is replayed that answer). A no-op without a key.
 */
export type AnswerWithEffect = (status: number, body: unknown) => void;

/** An answer a route gives from the state its operation left (status and body, no headers). */
export interface FoundAnswer {
  status: number;
  body: unknown;
}

export interface AsyncIdempotencyOptions {
  /**
   * For an operation whose effect is several commits and files (tenant creation and lifecycle),
   * which cannot commit its answer with its effect: how a retry of a request that was cut off (a
   * process killed, or a failure, after it claimed the key) is answered. The answer its effect
   * would have had, from the resource as it is now, when the operation is found finished; or
   * undefined, and the operation runs again under the key (its state machine then does the rest
   * or refuses). Without it, a failure releases the key and a cut-off key is taken over.
   */
  afterCutOff?: () => FoundAnswer | undefined;
}

/**
 * Keys claimed by requests of this process that have not ended, per database file. One server
 * serves a data folder (decision 015) and no other process claims keys, so a pending key that is
 * not among them was cut off: its request was killed with its server, or failed, before its answer
 * was stored.
 */
const keysUnderWay = new Set<string>();

/**
 * The same for handlers that await (uploads, mail, file operations): the key is claimed as pending
 * in one transaction, the handler runs, and its answer is stored in another. A duplicate arriving
 * meanwhile finds the pending marker and is refused (409 `idempotency_key_in_use`), so two
 * requests never both do the work. A handler whose effect commits in one write of the scope's
 * database stores its answer in that write with `answerWithEffect`: a failure or a kill after it
 * leaves that answer, replayed to the retry, never the effect without its answer; a key left
 * pending then means no effect, and the retry takes it over and runs. A failure releases a
 * pending key. Operations of several commits say how a cut-off retry is answered (`afterCutOff`):
 * they keep the key pending on a failure (not a refusal), for the retry to find what was done.
 */
export async function runIdempotentAsync(
  scope: IdempotencyScope,
  req: Request,
  res: Response,
  handler: (answerWithEffect: AnswerWithEffect) => Promise<unknown>,
  options: AsyncIdempotencyOptions = {},
): Promise<void> {
  const key = idempotencyKeyOf(req);
  if (key === undefined) {
    await handler(() => undefined);
    return;
  }
  const store = new IdempotencyStore(scope.db);
  const underWay = `${scope.db.file}\n${scope.principal}\n${key}`;
  const fingerprint = requestFingerprint(req, scope.secret);
  const claim = scope.db.write((): Claim => {
    const found = store.claim(scope.principal, key, fingerprint, !keysUnderWay.has(underWay));
    if (found.kind !== 'cut-off' || !options.afterCutOff) return found;
    const answer = options.afterCutOff();
    if (!answer) return found;
    const stored = { ...answer, headers: {} };
    store.complete(scope.principal, key, stored);
    return { kind: 'replay', ...stored };
  });
  if (claim.kind === 'replay') return replay(res, claim);
  keysUnderWay.add(underWay);
  try {
    await answerOnce(scope, store, key, res, handler, options);
  } finally {
    keysUnderWay.delete(underWay);
  }
}

async function answerOnce(
  scope: IdempotencyScope,
  store: IdempotencyStore,
  key: string,
  res: Response,
  handler: (answerWithEffect: AnswerWithEffect) => Promise<unknown>,
  options: AsyncIdempotencyOptions,
): Promise<void> {
  const answerWithEffect: AnswerWithEffect = (status, body) => {
    if (!scope.db.inTransaction) throw new Error("answerWithEffect runs inside the write that commits the operation's effect");
    store.complete(scope.principal, key, { status, body, headers: {} });
  };
  const restore = captureJson(res);
  let answer: StoredAnswer | undefined;
  try {
    await handler(answerWithEffect);
    answer = restore();
  } catch (error) {
    restore();
    // A refusal changed nothing; a failure of a several-commit operation may have done part of it: the retry looks.
    if (!options.afterCutOff || (error instanceof AppError && error.status < 500)) scope.db.write(() => store.release(scope.principal, key));
    throw error;
  }
  if (!answer) {
    scope.db.write(() => store.release(scope.principal, key));
    return;
  }
  const stored = answer;
  scope.db.write(() => store.complete(scope.principal, key, stored));
  res.status(stored.status).json(stored.body);
}
