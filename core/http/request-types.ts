import type { Language } from '../i18n/languages';

/**
 * The one place that says what express requests and sessions carry beyond express's own
 * types. Each field is set by one middleware, named beside it.
 */

/** What a request knows about its signed-in user: never the password hash. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isSuperAdmin: boolean;
  /** The language they chose for themselves; null: each workspace's own. */
  language: Language | null;
}

/** What a session remembers of an impersonation: who acts as whom, why, since and until when (ms). */
export interface ImpersonationState {
  realUserId: string;
  targetUserId: string;
  reason: string;
  startedAt: number;
  expiresAt: number;
}

/** What a signed-in session remembers between requests (stored as JSON with the session). */
export interface SessionData {
  /** The workspace the user last entered (control-plane/tenants/switch-tenant.ts). */
  lastTenantId?: string;
  /** Data a route shows on the next page only, after a redirect (new invitation links, shown once). */
  shownOnce?: unknown;
  /** A super admin acting as another user, until expiresAt (control-plane/impersonation/impersonation-session.ts). */
  impersonation?: ImpersonationState;
}

/**
 * A request authenticated by an API token rather than a session (control-plane/api-tokens/token-authentication.ts).
 * A personal token acts as its user (req.user); a service token as itself (req.user names the token).
 */
export interface ApiPrincipal {
  tokenId: string;
  kind: 'personal' | 'service';
  name: string;
  /** The only tenant the token may reach (always set for a service token). */
  tenantId: string | null;
  scopes: ReadonlySet<string>;
  /** A service token's maker, for whom it acts (null for a personal token, or once its maker's account is deleted). */
  actsFor: string | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /** req.user, set by the session layer (control-plane/auth/session-layer.ts). */
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by requestLog for every request; also in the x-request-id response header. */
    id: string;
    /** The tenant a request entered, for the request log (tenant-runtime/tenant-access-middleware.ts). */
    tenantId?: string;
    /** Leaves a message for the next page after a redirect (core/http/flash.ts). */
    flash?: (text: string) => void;
    /**
     * While a super admin impersonates someone, req.user is the impersonated user and this is the
     * super admin, kept for audit records (control-plane/impersonation/impersonation-session.ts).
     */
    realUser?: SessionUser;
    /** Set when the request carried a valid API token: it has no session, no CSRF check, no cookie. */
    apiToken?: ApiPrincipal;
    /**
     * What the signed-in session remembers; changes are stored when the response starts. An empty
     * object, not stored, for a visitor who is not signed in (control-plane/auth/session-layer.ts).
     */
    session: SessionData;
    /**
     * The session's id (the hash of its cookie's token): a signed-in session's row, or for a visitor
     * the id their CSRF tokens are bound to. Undefined until a cookie names one.
     */
    sessionID: string | undefined;
    /**
     * A privilege change (impersonation start or end): the same signed-in user gets a new session
     * id and cookie, the old row is gone, and the session remembers only `data`.
     */
    renewSession(data: SessionData): void;
  }
  interface Response {
    /**
     * The CSRF token for forms and headers of this response, made on first use and bound to the
     * session id (a visitor gets one in the cookie then): one per response, since a second would
     * replace the cookie and invalidate the forms rendered before it (app/create-app.ts).
     */
    csrfToken(): string;
  }
}
