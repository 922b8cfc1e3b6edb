import type { Express, Request, RequestHandler, Response } from 'express';
import { growingLru } from '../../core/cache/growing-lru';
import type { Config } from '../../core/config/load-config';
import type { SessionData, SessionUser } from '../../core/http/request-types';
import { clientOf } from '../../core/http/client-of';
import { SessionReplacedError } from '../../core/errors/app-errors';
import { toSessionUser } from '../users/user-record';
import { SESSION_COOKIE, clearSessionCookie, sharedCookieDomain } from './session-cookie';
import { SESSION_MAX_AGE_MS, needsRenewal } from './session-renewal';
import type { SessionRepository } from './session-repository';
import type { SessionWithUser } from './session-with-user';
import { ReplacedSessionIds } from './replaced-session-ids';
import { mintSessionToken, sessionIdOf, sessionKey, verifySessionCookie } from './session-token';

/** The signed-in session a request holds: its row, its user, and its data as last stored. */
interface HeldSession {
  sid: string;
  userId: string;
  stored: string;
}

const HELD = Symbol('held session');

/** How many verified cookies are remembered (a few MB at most): about one per active browser. */
const VERIFIED_COOKIES = 10_000;
type Holding = Request & { [HELD]?: HeldSession };

export interface SessionLayer {
  /** Reads the session cookie: a signed-in request gets req.user and req.session, anyone else an empty session. */
  middleware: RequestHandler;
  /** The id a visitor's CSRF tokens are bound to: the session's, or a new one sent in the cookie now. */
  ensureSessionId(req: Request, res: Response): string;
}

/**
 * Server-side sessions with one signed cookie and one statement per request, in place of
 * express-session and passport's session strategy (docs/decisions/033-lean-request-path.md).
 *
 * - The cookie carries a random token and its HMAC under SESSION_SECRET; a cookie that does not
 *   verify (forged, tampered, an old format) is ignored: the request is a visitor's.
 * - A signed-in session is a `sessions` row keyed by the SHA-256 of the token, read together with
 *   its user. A missing row (signed out, revoked), an expired one or a user who is not active
 *   leaves the request signed out, and the row is removed.
 * - Signing in (req.login) and a privilege change (req.renewSession) always mint a new token and
 *   remove the old row: no id from before survives (fixation). Signing out (req.logout) removes the
 *   row and the cookie.
 * - A request that arrives with a signed-in id replaced moments ago (sent together with the request
 *   that replaced it: a double click, a second tab) is answered 409 "reload the page", never served
 *   (replaced-session-ids.ts); only a request whose id was not found asks.
 * - Sliding expiry: the row's expiry and the cookie move on at most once per renewal interval.
 * - Changes a route makes to req.session are stored when the response starts, and only if the
 *   session changed; the update never recreates a row removed meanwhile.
 * - A visitor has no row: the token in their cookie only names the id their CSRF tokens are bound to.
 */
export function createSessionLayer(app: Express, config: Config, sessions: SessionRepository): SessionLayer {
  const secret = sessionKey(config.sessionSecret);
  const domain = sharedCookieDomain(config);
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    maxAge: SESSION_MAX_AGE_MS,
    path: '/',
    ...(domain ? { domain } : {}),
  } as const;

  const issueToken = (req: Request, res: Response): string => {
    const { token, cookie } = mintSessionToken(secret);
    res.cookie(SESSION_COOKIE, cookie, cookieOptions);
    return (req.sessionID = sessionIdOf(token));
  };

  const replaced = new ReplacedSessionIds();

  /** A new signed-in session for the user: a new token, the old row (if any) removed. */
  const begin = (req: Holding, userId: string, data: SessionData, from: { userAgent: string | null; ip: string | null }): void => {
    const res = req.res as Response;
    const held = req[HELD]?.sid;
    const old = held ?? req.sessionID;
    const sid = issueToken(req, res);
    sessions.create({ sid, userId, data, expiresAt: Date.now() + SESSION_MAX_AGE_MS, ...from }, old);
    // A visitor's id signs nobody in before or after: only a signed-in session's replacement is told.
    if (held) replaced.remember(held);
    req.session = data;
    hold(req, { sid, userId, stored: JSON.stringify(data) });
  };

  const hold = (req: Holding, held: HeldSession): void => {
    req[HELD] = held;
  };

  // Stores what the route changed in req.session, once, when the response starts: on the app's
  // response prototype, so a request pays no closure for it.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with apply on each response
  const writeHead = app.response.writeHead;
  app.response.writeHead = function (this: Response, ...args: unknown[]) {
    const current = (this.req as Holding)[HELD];
    if (current) {
      const data = JSON.stringify(this.req.session);
      if (data !== current.stored) sessions.saveData(current.sid, data);
      current.stored = data;
    }
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response['writeHead'];

  function logIn(this: Request, user: SessionUser, options: unknown, done?: (err?: unknown) => void): void {
    const callback = (typeof options === 'function' ? options : done) as (err?: unknown) => void;
    try {
      begin(this, user.id, {}, clientOf(this));
      this.user = user;
    } catch (error) {
      return callback(error);
    }
    callback();
  }

  function logOut(this: Holding, options: unknown, done?: (err?: unknown) => void): void {
    const callback = (typeof options === 'function' ? options : done) as (err?: unknown) => void;
    try {
      const sid = this[HELD]?.sid;
      if (sid) sessions.destroy(sid);
      this[HELD] = undefined;
      this.user = undefined;
      this.realUser = undefined;
      this.session = {};
      this.sessionID = undefined;
      clearSessionCookie(this.res as Response, config);
    } catch (error) {
      return callback(error);
    }
    callback();
  }

  function renewSession(this: Holding, data: SessionData): void {
    const held = this[HELD];
    if (!held) throw new Error('renewSession needs a signed-in session');
    const from = sessions.clientOf(held.sid);
    begin(this, held.userId, data, { userAgent: from?.user_agent ?? null, ip: from?.ip ?? null });
  }

  // On the app's request prototype (express's own extension point), so requests pay nothing for
  // them; passport's authenticate() finds req.logIn there and keeps it.
  Object.assign(app.request, { login: logIn, logIn, logout: logOut, logOut, renewSession });

  // A cookie whose signature was checked once maps to its session id without the HMAC and the
  // hash again. Only cookies that verified are kept, under their whole value, so a lookup can only
  // find what was already proven; the row is still read on every request (revocation, expiry).
  const verified = growingLru<string, string>(VERIFIED_COOKIES);
  const sessionIdOfCookie = (cookie: unknown): string | undefined => {
    if (typeof cookie !== 'string') return undefined;
    const known = verified.get(cookie);
    if (known) return known;
    const token = verifySessionCookie(secret, cookie);
    if (!token) return undefined;
    const sid = sessionIdOf(token);
    verified.set(cookie, sid);
    return sid;
  };

  const middleware: RequestHandler = (req, res, next) => {
    const sid = sessionIdOfCookie(req.cookies?.[SESSION_COOKIE]);
    if (!sid) return visitor(req, next);
    req.sessionID = sid;
    const row = sessions.find(sid);
    if (!row) {
      if (!replaced.replacedJustNow(sid)) return visitor(req, next);
      // Sent with the request that replaced it: never served, but not taken for a signed-out one.
      req.session = {};
      return next(new SessionReplacedError());
    }
    const now = Date.now();
    if (row.expires_at <= now || row.status !== 'active') {
      sessions.destroy(sid);
      return visitor(req, next);
    }
    req.user = userOf(row);
    req.session = JSON.parse(row.data) as SessionData;
    if (needsRenewal(row.last_seen_at, now)) {
      sessions.touch(sid, now + SESSION_MAX_AGE_MS, now);
      res.cookie(SESSION_COOKIE, req.cookies[SESSION_COOKIE] as string, cookieOptions);
    }
    hold(req, { sid, userId: row.user_id, stored: row.data });
    next();
  };

  return { middleware, ensureSessionId: (req, res) => req.sessionID ?? issueToken(req, res) };
}

/** A request that is not signed in: an empty session, never stored. */
function visitor(req: Request, next: () => void): void {
  req.session = {};
  next();
}

function userOf(row: SessionWithUser): SessionUser {
  return toSessionUser({
    id: row.user_id,
    email: row.email ?? '',
    name: row.name ?? '',
    is_super_admin: row.is_super_admin ?? 0,
    language: row.language,
  });
}
