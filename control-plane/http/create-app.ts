import path from 'node:path';
import crypto from 'node:crypto';
import express, { type Express } from 'express';
import session from 'express-session';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Platform } from '../platform';
import { SqliteSessionStore } from '../auth/sqlite-session-store';
import { createPassport } from '../auth/passport-setup';
import { createCsrf } from '../auth/csrf-protection';
import { createLoginLimits, createTokenEndpointLimit, type LoginLimitOptions } from '../auth/login-rate-limits';
import { errorHandler, notFoundHandler } from './error-handler';
import type { SetupToken } from '../setup/setup-token';
import { authRoutes } from '../routes/auth-routes';
import { setupRoutes } from '../routes/setup-routes';
import { homeRoutes } from '../routes/home-routes';
import { adminTenantRoutes } from '../routes/admin-tenant-routes';
import { invitationRoutes } from '../routes/invitation-routes';
import { tenantRoutes } from '../../tenant-runtime/routes/tenant-routes';
import { contextApiRoutes } from '../routes/context-api-routes';
import { accountRoutes } from '../routes/account-routes';
import { adminAuditRoutes } from '../routes/admin-audit-routes';

const ROOT = path.resolve(__dirname, '../..');
const SESSION_COOKIE = 'tenantry.sid';

export interface AppOptions {
  setupToken?: SetupToken;
  loginLimits?: LoginLimitOptions;
  tokenEndpointLimit?: number;
}

export interface AppParts {
  app: Express;
  sessions: SqliteSessionStore;
}

/** request -> session/auth -> tenant resolver -> membership check -> router lease -> route -> view */
export function createApp(platform: Platform, options: AppOptions = {}): AppParts {
  const { config } = platform;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.join(ROOT, 'views'));

  app.use(
    pinoHttp({
      logger: platform.logger,
      genReqId: (_req, res) => {
        const id = crypto.randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customProps: (req) => ({ userId: (req as express.Request).user?.id, tenantId: (req as express.Request).tenantId }),
      serializers: { req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }) },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/static/') },
    }),
  );
  app.use(helmet({ contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': config.secureCookies ? [] : null } } }));
  app.use('/static', express.static(path.join(ROOT, 'public'), { maxAge: '1h' }));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(express.json({ limit: '100kb' }));
  app.use(cookieParser());

  const sessions = new SqliteSessionStore(platform.db);
  app.use(
    session({
      name: SESSION_COOKIE,
      secret: config.sessionSecret,
      store: sessions,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: 7 * 24 * 3600 * 1000 },
    }),
  );
  const passport = createPassport(platform);
  app.use(passport.initialize());
  app.use(passport.session());

  const csrf = createCsrf(config);
  app.use((req, res, next) => {
    res.locals.user = req.user;
    res.locals.baseUrl = config.baseUrl;
    // One token per response, bound to the current session: a second generation in the same
    // response would replace the cookie and invalidate the forms rendered before it.
    let token: string | undefined;
    res.locals.csrfToken = () => {
      if (!req.session.csrfBound) req.session.csrfBound = true;
      token ??= csrf.generateCsrfToken(req, res);
      return token;
    };
    res.locals.myTenants = req.user ? platform.access.tenantsOfUser(req.user.id) : [];
    res.locals.currentTenant = undefined;
    next();
  });
  app.use(csrf.doubleCsrfProtection);

  const tokenLimit = createTokenEndpointLimit(options.tokenEndpointLimit);
  // Tenant pages first: they are the hot path, and no other router serves /t/.
  app.use('/t/:slug', tenantRoutes(platform));
  app.use(homeRoutes(platform));
  app.use(authRoutes(platform, passport, createLoginLimits(options.loginLimits)));
  app.use(setupRoutes(platform, options.setupToken, tokenLimit));
  app.use(invitationRoutes(platform, tokenLimit));
  app.use('/admin', adminTenantRoutes(platform));
  app.use('/api/v1', contextApiRoutes(platform));
  app.use('/account', accountRoutes(platform, sessions));
  app.use('/admin', adminAuditRoutes(platform));

  app.use(notFoundHandler);
  app.use(errorHandler(platform.logger));
  return { app, sessions };
}

declare module 'express-session' {
  interface SessionData {
    csrfBound?: boolean;
    client?: { userAgent?: string; ip?: string };
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    tenantId?: string;
  }
}
