import path from 'node:path';
import express, { type Express, type RequestHandler, type Response } from 'express';
import type { PassportStatic } from 'passport';
import type { Platform } from './create-platform';
import { consoleDoor } from '../control-plane/http/console-door';
import { SessionRepository } from '../control-plane/auth/session-repository';
import { createSessionLayer } from '../control-plane/auth/session-layer';
import { createPassport } from '../control-plane/auth/passport-setup';
import { createCsrf } from '../control-plane/auth/csrf-protection';
import { sameOrigin } from '../control-plane/auth/same-origin';
import { flashMessages } from '../core/http/flash';
import { createLoginLimits, createTokenEndpointLimit, type LoginLimitOptions } from '../control-plane/auth/login-rate-limits';
import { errorHandler, notFoundHandler } from '../core/http/error-handler';
import { tenantFileFailure } from '../control-plane/lifecycle/tenant-file-failure';
import { frontDoor } from '../core/http/front-door';
import { serveWithAppPrototypes } from '../core/http/app-server';
import { usePageViews } from '../core/http/page-views';
import { readCookies } from '../core/http/read-cookies';
import { requestStart } from '../core/http/request-start';
import { helmetOptions, securityHeaders } from '../core/http/security-headers';
import { onlyWithBody, series } from '../core/http/middleware-series';
import { atPath } from '../core/http/path-mount';
import { fillBeforeRender, type PageLocals } from '../core/http/page-locals';
import type { SetupToken } from '../control-plane/setup/setup-token';
import { authRoutes } from '../control-plane/routes/auth-routes';
import { twoStepSignInRoutes } from '../control-plane/routes/two-step-sign-in-routes';
import { setupRoutes } from '../control-plane/routes/setup-routes';
import { homeRoutes } from '../control-plane/routes/home-routes';
import { adminTenantRoutes } from '../control-plane/routes/admin-tenant-routes';
import { adminPlanRoutes } from '../control-plane/routes/admin-plan-routes';
import { tenantDetailSources } from './tenant-detail-sources';
import { invitationRoutes } from '../control-plane/routes/invitation-routes';

import { accountRoutes } from '../control-plane/routes/account-routes';
import { adminAuditRoutes } from '../control-plane/routes/admin-audit-routes';
import { adminFleetRoutes } from '../control-plane/routes/admin-fleet-routes';
import { adminUsageRoutes } from '../control-plane/routes/admin-usage-routes';
import { rollUpUsage } from '../control-plane/usage/roll-up-usage';
import { usageRollupDeps } from './usage-wiring';
import { sharedCookieDomain } from '../control-plane/auth/session-cookie';
import { markJson } from '../core/http/answers-json';
import { isOnSubdomain } from '../tenant-runtime/subdomain-tenant-resolver';
import { takesPageUpload, tenantRoutes } from './tenant-routes';
import { usageBanner } from './usage-banner';
import { tenantPageLocals } from '../tenant-runtime/tenant-access-middleware';
import { atTenantPath } from '../tenant-runtime/tenant-path-mount';
import { trackMatchedRoutes, type RequestObserver } from '../core/http/request-timing';
import { createPlatformMetrics } from '../control-plane/metrics/platform-metrics';
import { metricsRoutes } from '../control-plane/routes/metrics-routes';
import { adminDashboardRoutes } from '../control-plane/routes/admin-dashboard-routes';
import { BackgroundTasks } from '../core/jobs/background-tasks';
import type { PasswordResetLimitOptions } from '../control-plane/auth/password-reset-limits';
import type { EmailChangeLimitOptions } from '../control-plane/auth/email-change-limits';
import { accountsMiddleware, mountAccounts } from './mount-accounts';
import { DEFAULT_LANGUAGE } from '../core/i18n/languages';
import { translatorFor, type Translate } from '../core/i18n/translator';
import { browserLanguage, englishOnly, hasPageLanguage, useLanguage } from '../core/i18n/page-language';
import { roleDescriptionLabel, roleLabel } from '../control-plane/roles/predefined-roles';
import { apiRoutes, mountApi, REST_PATHS } from './api-routes';
import { readableBodiesOnly } from '../core/http/readable-bodies-only';
import { UnreadableFormError } from '../core/errors/app-errors';
import { markProblemJson } from '../core/http/problem-json';
import { tokenAuthentication } from '../control-plane/api-tokens/token-authentication';
import { mountTokenPages } from './mount-tokens';

const ROOT = path.resolve(__dirname, '..');

export interface AppOptions {
  setupToken?: SetupToken;
  loginLimits?: LoginLimitOptions;
  tokenEndpointLimit?: number;
  /** Process metrics (CPU, memory, event loop) in /metrics as well: the server turns them on. */
  processMetrics?: boolean;
  passwordResetLimits?: PasswordResetLimitOptions;
  emailChangeLimits?: EmailChangeLimitOptions;
}

export interface AppParts {
  app: Express;
  sessions: SessionRepository;
  /** Work started by requests and finished after their answer (password reset mail). */
  background: BackgroundTasks;
}

/** What the routers need from the common stack. */
export interface CommonMiddleware {
  passport: PassportStatic;
  sessions: SessionRepository;
}

/** request -> session/auth -> tenant resolver -> membership check -> router lease -> route -> view */
export function createApp(platform: Platform, options: AppOptions = {}): AppParts {
  const app = express();
  // Request durations by route pattern, for /metrics (control-plane/metrics).
  const metrics = createPlatformMetrics(platform, { processMetrics: options.processMetrics });
  const background = new BackgroundTasks(platform.logger);
  // Tenant pages first, in the same step as the common middleware: they are the hot path, and
  // no other router serves /t/.
  const tenants = tenantRoutes(platform, background).handler;
  const { passport, sessions } = installCommonMiddleware(app, platform, {
    observeRequest: metrics.observeRequest,
    then: atTenantPath(tenants),
    pageLocals: [tenantPageLocals, usageBanner(platform)],
  });

  const tokenLimit = createTokenEndpointLimit(options.tokenEndpointLimit);
  // The operators' console and the API's reference are in English, like the CLI and the JSON API.
  app.use(['/setup', '/admin', '/docs'], englishOnly);
  // The console's 404 to anyone signed in who is no super admin, recorded (bounded) before any console route.
  app.use('/admin', consoleDoor(platform.audit));
  const { baseDomain } = platform.config;
  // On a tenant's subdomain the same pages are served at the root; other paths (sign-in, static files) fall through.
  if (baseDomain) app.use((req, res, next) => (isOnSubdomain(req, baseDomain) ? tenants(req, res, next) : next()));
  app.use(homeRoutes(platform));
  app.use(metricsRoutes(platform, metrics));
  mountAccounts(app, platform, { sessions, background, tokenLimit, passwordResetLimits: options.passwordResetLimits });
  // The password and the code of two-step sign-in count against the same limits.
  const loginLimits = createLoginLimits(options.loginLimits);
  app.use(authRoutes(platform, passport, loginLimits));
  app.use(twoStepSignInRoutes(platform, loginLimits));
  app.use(setupRoutes(platform, options.setupToken, tokenLimit));
  app.use(invitationRoutes(platform, tokenLimit));
  app.use('/admin', adminDashboardRoutes(platform));
  app.use('/admin', adminTenantRoutes(platform, tenantDetailSources(platform)));
  app.use('/admin', adminPlanRoutes(platform, tenantDetailSources(platform)));
  const api = apiRoutes(platform, sessions, background);
  mountApi(app, platform, api);
  mountTokenPages(app, platform, api.document);
  app.use('/account', accountRoutes(platform, sessions, options.emailChangeLimits));
  app.use('/admin', adminAuditRoutes(platform));
  app.use('/admin', adminFleetRoutes(platform));
  app.use(
    '/admin',
    adminUsageRoutes(platform, () => rollUpUsage(usageRollupDeps(platform))),
  );

  installErrorHandlers(app, platform);
  return { app, sessions, background };
}

export interface CommonOptions {
  /** Told how long each finished request took, by route (request metrics). */
  observeRequest?: RequestObserver;
  /** Run right after the common steps, in the same step ahead of the router (the tenant pages' fast path). */
  then?: RequestHandler;
  /** More of what pages read, filled in before the common page locals when a page renders (a workspace's). */
  pageLocals?: PageLocals[];
}

/**
 * Everything every request goes through before a router sees it: settings, security headers
 * with the request id and log, static files, body parsers (requests that may carry a body only),
 * cookies, the session layer, view locals and CSRF protection (the same), all in one step ahead
 * of express's router (the front door). Routers are mounted after it, then installErrorHandlers.
 */
export function installCommonMiddleware(app: Express, platform: Platform, options: CommonOptions = {}): CommonMiddleware {
  const { observeRequest } = options;
  const { config } = platform;
  app.disable('x-powered-by');
  // Requests and responses made with the app's prototypes from the start (core/http/app-server.ts).
  serveWithAppPrototypes(app);
  app.set('trust proxy', config.trustProxy);
  usePageViews(app, { reload: config.reloadViews });
  // Pages are rendered per session (CSRF tokens, user, workspace list) and API answers are small
  // and read once, so hashing every body for an ETag would buy no 304s. Static files keep theirs
  // (express.static), and a route that knows its content's version sets its own (the logo).
  app.set('etag', false);
  // Durations by route pattern, for /metrics (control-plane/metrics).
  if (observeRequest) trackMatchedRoutes(app);
  // One first step: everything under /api answers JSON, its refusals by the common stack (CSRF)
  // included; the security headers (helmet's, asked once); the request id, timing and access line.
  const start = requestStart(platform.logger, securityHeaders(helmetOptions(config.secureCookies)), {
    observe: observeRequest,
    declare: [
      { under: ['/api'], mark: markJson },
      { under: REST_PATHS, mark: markProblemJson },
    ],
  });
  const sessions = new SessionRepository(platform.db);
  const sessionLayer = createSessionLayer(app, config, sessions);
  const passport = createPassport(platform);
  const csrf = createCsrf(config);
  // View locals. What is the same for every request lives in app.locals; the rest is per response.
  app.locals.baseUrl = config.baseUrl;
  app.locals.currentTenant = undefined;
  app.locals.ctx = undefined;
  // Links to a tenant's pages from anywhere (switcher, account, console): one URL builder.
  app.locals.tenantUrl = platform.urls.tenantUrl;
  app.locals.publicTenantUrl = platform.urls.publicTenantUrl;
  // A page rendered before the language is known (an early refusal) is in English.
  app.locals.lang = DEFAULT_LANGUAGE;
  app.locals.t = translatorFor(DEFAULT_LANGUAGE);
  const TOKEN = Symbol('csrf token');
  app.response.csrfToken = function (this: Response & { [TOKEN]?: string }) {
    if (this[TOKEN] === undefined) {
      sessionLayer.ensureSessionId(this.req, this);
      this[TOKEN] = csrf.generateCsrfToken(this.req, this);
    }
    return this[TOKEN];
  };
  // What pages read, filled in when one renders (a JSON answer never pays for it).
  fillBeforeRender(app, (req, res) => {
    for (const fill of options.pageLocals ?? []) fill(req, res);
    res.locals.user = req.user;
    // The person's own language, else the browser's, unless the workspace's pages or the console chose theirs.
    if (!hasPageLanguage(res)) useLanguage(res, () => req.user?.language ?? browserLanguage(req));
    res.locals.roleName = (key: string, name: string) => roleLabel(res.locals.t as Translate, key, name);
    res.locals.roleDescription = (key: string, description: string) => roleDescriptionLabel(res.locals.t as Translate, key, description);
    res.locals.csrfToken = () => res.csrfToken();
    // The header's workspace switcher (a cache look-up, no query).
    res.locals.myTenants = req.user ? platform.access.tenantsOfUser(req.user.id) : [];
    res.locals.selfService = platform.config.selfService.enabled;
  });
  // All of it in one step, ahead of express's router (core/http/front-door.ts).
  frontDoor(
    app,
    series([
      start,
      atPath('/static', express.static(path.join(ROOT, 'public'), { maxAge: '1h' })),
      // A GET, HEAD or OPTIONS request's body is never read: it changes nothing, so it needs none.
      onlyWithBody(series([express.urlencoded({ extended: false, limit: '100kb' }), express.json({ limit: '100kb' })])),
      readCookies,
      // A REST API request with a bearer token is authenticated here and skips everything session-bound after it.
      tokenAuthentication(platform),
      withoutToken(
        series([
          sessionLayer.middleware,
          ...accountsMiddleware(platform),
          // The CSRF checks only for requests that may change something; then a body the parsers did not read
          // (plain text, a file where no form uploads one) is refused, never acted on as an empty form.
          onlyWithBody(series([sameOrigin(config.baseUrl), csrf.doubleCsrfProtection, pageBodiesOnly])),
          flashMessages(config.sessionSecret, { secure: config.secureCookies, domain: sharedCookieDomain(config) }),
        ]),
      ),
      ...(options.then ? [options.then] : []),
    ]),
  );
  return { passport, sessions };
}

const formBodiesOnly = readableBodiesOnly({
  types: ['application/x-www-form-urlencoded', 'application/json'],
  acceptsFiles: takesPageUpload,
  refusal: () => new UnreadableFormError(),
});

/**
 * What the pages (and the context API) read: a form or JSON, and a file only where a form uploads
 * one. The REST API's paths refuse any other body themselves (mountApi), in the API's words.
 */
const pageBodiesOnly: RequestHandler = (req, res, next) =>
  REST_PATHS.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`)) ? next() : formBodiesOnly(req, res, next);

/**
 * A token request carries no session and needs no CSRF token (a browser never adds an
 * Authorization header on its own), so the session-bound middleware passes it by.
 */
function withoutToken(handler: RequestHandler): RequestHandler {
  return (req, res, next) => (req.apiToken ? next() : handler(req, res, next));
}

/** The last handlers of an app: anything no router answered is a 404, and every error becomes a response. */
export function installErrorHandlers(app: Express, platform: Platform): void {
  app.use(notFoundHandler);
  // A tenant file that turns out damaged while serving becomes a damaged tenant (503), not a 500.
  app.use(tenantFileFailure(platform.health));
  app.use(errorHandler(platform.logger));
}
