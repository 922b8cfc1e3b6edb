import type { Request, RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import type { ApiPrincipal, SessionUser } from '../../core/http/request-types';
import { instanceOf, problemOf, sendProblem } from '../../core/http/problem-json';
import { InvalidTokenError, SessionOnlyError } from '../../core/errors/app-errors';
import { toSessionUser } from '../users/user-record';
import type { ApiTokenRecord } from './api-token-repository';
import { hashApiToken, TOKEN_PATTERN } from './token-secret';
import { parseScopes } from './token-scopes';

/** Paths where a bearer token is read: the REST API, in any case as the routers match it. Elsewhere the header is ignored (pages and the context API use the session). */
export const TOKEN_PATHS = /^\/api\/v1\/(?:t\/|admin\/|me(?:$|[/?]))/i;

/** The context API (control-plane/routes/context-api-routes.ts): the pages' scripts, on the signed-in session only. */
const SESSION_ONLY_PATHS = /^\/api\/v1\/(?:context|tenants)(?:$|[/?])/i;

/** Last use is written at most this often per token (and whenever the address changes). */
const TOUCH_INTERVAL_MS = 60_000;

/** The bearer token presented, '' for a malformed one, undefined for no Bearer header at all. */
function bearerOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined || !/^Bearer(\s|$)/i.test(header)) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}

/** A token's scopes, parsed once per record the repository keeps (a changed token is a new record). */
const scopesOfRecord = new WeakMap<ApiTokenRecord, ReadonlySet<string>>();

function scopesOf(token: ApiTokenRecord): ReadonlySet<string> {
  let scopes = scopesOfRecord.get(token);
  if (!scopes) {
    scopes = parseScopes(token.scopes);
    scopesOfRecord.set(token, scopes);
  }
  return scopes;
}

/** Who a live token acts as: its user (personal) or the token itself (service); undefined when it may not act at all. */
function principalOf(platform: ControlPlane, token: ApiTokenRecord): { principal: ApiPrincipal; user: SessionUser } | undefined {
  if (token.revoked_at !== null || (token.expires_at !== null && token.expires_at <= Date.now())) return undefined;
  const principal: ApiPrincipal = {
    tokenId: token.id,
    kind: token.kind,
    name: token.name,
    tenantId: token.tenant_id,
    scopes: scopesOf(token),
    actsFor: token.kind === 'service' ? token.created_by : null,
  };
  if (token.kind === 'service') {
    if (!token.tenant_id) return undefined;
    return { principal, user: { id: token.id, email: '', name: `${token.name} (service token)`, isSuperAdmin: false, language: null } };
  }
  // Read on every request, like a session's user: a disabled or deleted user's tokens stop at once.
  const user = token.user_id ? platform.users.findActing(token.user_id) : undefined;
  if (!user || user.status !== 'active') return undefined;
  return { principal, user: toSessionUser(user) };
}

/**
 * Authenticates `Authorization: Bearer tnt_...` on the REST API, before the session middleware:
 * a token request is given req.apiToken and req.user and then skips the session, the CSRF check
 * and every cookie (app/create-app.ts). A token that is malformed, unknown, revoked, expired or
 * whose user is disabled answers 401 at once; it never falls back to a cookie sent beside it.
 * The token itself is never logged (the logger redacts the header; the log line names the token's id).
 */
export function tokenAuthentication(platform: ControlPlane): RequestHandler {
  const touched = new Map<string, { at: number; ip: string | null }>();
  return (req, res, next) => {
    if (req.headers.authorization === undefined) return next();
    const tokenPath = TOKEN_PATHS.test(req.url);
    if (!tokenPath && !SESSION_ONLY_PATHS.test(req.url)) return next();
    const presented = bearerOf(req);
    // Another scheme (a reverse proxy's Basic sign-in passed along) is not ours: the session decides.
    if (presented === undefined) return next();
    // A token client on the context API would otherwise be told to sign in, or that its form expired.
    if (!tokenPath) return next(new SessionOnlyError());
    const token = presented && TOKEN_PATTERN.test(presented) ? platform.apiTokens.findByHash(hashApiToken(presented)) : undefined;
    const acting = token ? principalOf(platform, token) : undefined;
    if (!acting) {
      // Answered here, ahead of the API's routers (and so of its problem+json declaration).
      const refused = new InvalidTokenError();
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      return sendProblem(res, problemOf(refused.status, refused.code, refused.message, { instance: instanceOf(req), requestId: req.id }));
    }
    req.apiToken = acting.principal;
    req.user = acting.user;
    const now = Date.now();
    const ip = req.ip ?? null;
    const last = touched.get(acting.principal.tokenId);
    if (!last || now - last.at >= TOUCH_INTERVAL_MS || last.ip !== ip) {
      touched.set(acting.principal.tokenId, { at: now, ip });
      platform.apiTokens.touch(acting.principal.tokenId, now, ip);
    }
    next();
  };
}

/**
 * The same question asked again later in a request (a route that reads a long body, once it is in):
 * whether the token the request came with still acts, read afresh, so a token revoked or expired,
 * or its user disabled, meanwhile stops here. req.apiToken and req.user are what they are now;
 * the refusal is the entry's 401. A session request has nothing to ask.
 */
export function reauthenticateToken(platform: ControlPlane, req: Request): InvalidTokenError | undefined {
  if (!req.apiToken) return undefined;
  const token = platform.apiTokens.findById(req.apiToken.tokenId);
  const acting = token ? principalOf(platform, token) : undefined;
  if (!acting) return new InvalidTokenError();
  req.apiToken = acting.principal;
  req.user = acting.user;
  return undefined;
}
