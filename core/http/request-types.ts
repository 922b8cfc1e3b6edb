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
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /** req.user, set by the session-user middleware (control-plane/auth/passport-setup.ts). */
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
  }
}

declare module 'express-session' {
  interface SessionData {
    /** The CSRF token was issued for this session (app/create-app.ts). */
    csrfBound?: boolean;
    /** Where the session signed in from, for the account page (control-plane/routes/auth-routes.ts). */
    client?: { userAgent?: string; ip?: string };
    /** When the session and its cookie were last renewed, ms since the epoch (control-plane/auth/session-renewal.ts). */
    renewedAt?: number;
    /** The workspace the user last entered (tenant-runtime/tenant-access-middleware.ts). */
    lastTenantId?: string;
    /** Data a route shows on the next page only, after a redirect (new invitation links, shown once). */
    shownOnce?: unknown;
    /** A super admin acting as another user, until expiresAt (control-plane/impersonation/impersonation-session.ts). */
    impersonation?: ImpersonationState;
  }
}
