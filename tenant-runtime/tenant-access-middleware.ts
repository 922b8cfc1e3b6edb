import { browserLanguage, useLanguage } from '../core/i18n/page-language';
import type { Language } from '../core/i18n/languages';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { NotFoundError, UnauthenticatedError } from '../core/errors/app-errors';
import { RequestClient } from '../core/http/client-of';
import { answersJson } from '../core/http/answers-json';
import type { SessionUser } from '../core/http/request-types';
import type { TenantResolver } from './path-tenant-resolver';
import type { Lease, ConnectionRouter } from './connection-router';
import { accessRefused, type AuditSink } from './audit-sink';
import type { TenantUrls } from './tenant-urls';
import type { Entitlements } from './plan-catalogue';
import type { Permission } from './permission-catalogue';
import { buildTenantContext, regrantContext, type BrandingSource, type MemberGrant, type TenantRef, type TenantRequestContext } from './tenant-request-context';

/**
 * The gate's answer for one user and one tenant: come in with this grant, or be refused with
 * this error (a member of a tenant that is closed to them or briefly offline is told so).
 */
export type Admission = { grant: MemberGrant } | { refusal: Error };

/**
 * What the tenant runtime asks the control plane, injected so that tenancy never imports it:
 * which tenant a slug names, and whether a user may enter it. The request is given so the gate
 * can tell who really acts (req.realUser while a super admin impersonates the user) and whether
 * a session or an API token asks (req.apiToken).
 */
export interface MembershipGate {
  tenantBySlug(slug: string): TenantRef | undefined;
  /**
   * The one decision on entry. undefined: not theirs to know about, the same 404 as an unknown
   * workspace (so a non-member learns nothing of a suspension or a restore).
   */
  admit(user: SessionUser, tenant: TenantRef, req: Request): Admission | undefined;
  /**
   * Asked by `readmit` before it admits again: whether the request's credential still acts (an
   * API token revoked or expired, or its user disabled, while the body came in), with req.user as
   * it is now; the refusal to answer with if not. The entry needs none: the credential was just read.
   */
  reauthenticate?(req: Request): Error | undefined;
  /** The tenant's plan limits and feature flags, from the control plane's cache (no query once warm). */
  entitlementsOf(tenantId: string): Entitlements;
  /**
   * The workspace's language as known without opening its file (which may be being restored,
   * damaged or behind the code), for the page a member gets when refused or when the file cannot
   * be opened; undefined when not known. Asked only when such a page renders.
   */
  workspaceLanguage?(tenant: TenantRef): Language | undefined;
}

export interface TenantEntryDeps {
  resolve: TenantResolver;
  gate: MembershipGate;
  router: ConnectionRouter;
  audit: AuditSink;
  urls: TenantUrls;
  branding: BrandingSource;
}

/**
 * Resolves the tenant, proves membership, and only then leases the tenant's database from
 * the router (released when the response is done) and builds the request's context. The gate
 * decides who enters; whoever it does not know of (unknown tenant, non-member) gets the same 404,
 * and a refusal it gives (a suspension, a restore) goes to the error handler as it is. No
 * control-plane query on the hot path: the gate answers from its cache, and an open handle is
 * leased synchronously (the router is waited for only when every handle is in use).
 */
/**
 * Tenant entry, and the same decision asked again later in the request (`readmit`): a route that
 * reads a long body after entry (an upload over a slow link) asks it once the body is in, so a
 * member removed, demoted or shut out of the workspace, a token revoked, or a feature taken off the
 * plan meanwhile changes nothing (the route table asks the permission and the features again after it).
 */
export type TenantEntry = RequestHandler & {
  readmit: RequestHandler;
  /** The same entry, asking `outsider` before it answers 404 to someone the gate does not admit (TenantOutsider). */
  orElse(outsider: TenantOutsider): RequestHandler;
};

/**
 * A route's answer to someone the gate does not admit into a tenant that exists, asked instead of
 * the 404: a route whose own effect shuts its sender out (a member removing themselves) answers
 * that person's repeat of it, sent moments after, as the first one was. It gets no lease, no
 * context and no grant: only who asks and which tenant. True when it answered; false for the 404.
 */
export type TenantOutsider = (req: Request, res: Response, asked: { user: SessionUser; tenant: TenantRef }) => boolean;

export function tenantAccess(deps: TenantEntryDeps): TenantEntry {
  const entitlementsOf = (tenantId: string) => deps.gate.entitlementsOf(tenantId);
  const enter = (
    req: Request,
    res: Response,
    next: NextFunction,
    user: SessionUser,
    tenant: TenantRef,
    grant: MemberGrant,
    onSubdomain: boolean,
    lease: Lease,
  ): void => {
    // 'close' follows 'finish' on every response, and comes alone when the client goes away;
    // it is emitted once, and release() may be called more than once anyway.
    res.on('close', lease.release);
    req.tenantId = tenant.id;
    const ctx = buildTenantContext({
      tenant,
      grant,
      user,
      realUser: req.realUser,
      apiTokenId: req.apiToken?.tokenId,
      actsFor: req.apiToken?.actsFor ?? undefined,
      client: new RequestClient(req),
      db: lease.db,
      base: deps.urls.basePath(tenant.slug, onSubdomain),
      audit: deps.audit,
      branding: deps.branding,
      entitlementsOf,
    });
    setTenantContext(res, ctx);
    next();
  };

  /**
   * A member refused (a closed or offline workspace) or whose workspace's file cannot be opened:
   * the page says so in their own language (chosen later, as on every page), else the workspace's,
   * else the browser's. Never for someone who is no member: theirs is the 404 of an unknown workspace.
   */
  const refuse = (req: Request, res: Response, next: NextFunction, user: SessionUser, tenant: TenantRef, error: unknown): void => {
    const { gate } = deps;
    if (!user.language && gate.workspaceLanguage) useLanguage(res, () => gate.workspaceLanguage?.(tenant) ?? browserLanguage(req));
    next(error);
  };

  const entryOr =
    (outsider?: TenantOutsider): RequestHandler =>
    (req, res, next) => {
      const user = req.user;
      if (!user) {
        // Signing in is asked before anything is looked up, so this answer leaks nothing.
        if (answersJson(res)) return next(new UnauthenticatedError());
        if (req.method === 'GET') return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
        return next(new NotFoundError());
      }
      const resolved = deps.resolve(req);
      const tenant = resolved ? deps.gate.tenantBySlug(resolved.slug) : undefined;
      const admission = resolved && tenant ? deps.gate.admit(user, tenant, req) : undefined;
      if (admission && 'refusal' in admission) return refuse(req, res, next, user, tenant!, admission.refusal);
      if (!resolved || !tenant || !admission) {
        if (tenant && !admission && outsider?.(req, res, { user, tenant })) return;
        deps.audit.record(accessRefused(req, { tenantId: tenant?.id ?? null, reason: 'not-found' }));
        return next(new NotFoundError());
      }
      const { grant } = admission;
      let lease: Lease | null;
      try {
        lease = deps.router.tryAcquire(tenant.id);
      } catch (error) {
        return refuse(req, res, next, user, tenant, error);
      }
      if (lease) return enter(req, res, next, user, tenant, grant, resolved.onSubdomain, lease);
      deps.router
        .acquire(tenant.id)
        .then((waited) => {
          // The client may have gone while this request waited for a handle.
          if (res.destroyed) return waited.release();
          enter(req, res, next, user, tenant, grant, resolved.onSubdomain, waited);
        })
        .catch((error: unknown) => refuse(req, res, next, user, tenant, error));
    };

  /**
   * Asks the gate again, for the credential (a token revoked meanwhile) and then for the user and tenant the request
   * entered with; the context then holds the grant, and the plan's features, as they are now.
   */
  const readmit: RequestHandler = (req, res, next) => {
    const ctx = tenantContextOf(res);
    const refused = deps.gate.reauthenticate?.(req);
    if (refused) return next(refused);
    const user = req.user;
    const tenant = user ? deps.gate.tenantBySlug(ctx.tenant.slug) : undefined;
    const admission = user && tenant?.id === ctx.tenant.id ? deps.gate.admit(user, tenant, req) : undefined;
    if (admission && 'refusal' in admission) return refuse(req, res, next, user!, tenant!, admission.refusal);
    if (!tenant || !admission) {
      deps.audit.record(accessRefused(req, { tenantId: ctx.tenant.id, reason: 'not-found' }));
      return next(new NotFoundError());
    }
    setTenantContext(res, regrantContext(ctx, tenant, admission.grant));
    next();
  };

  return Object.assign(entryOr(), { readmit, orElse: entryOr });
}

/** The request's context, for the route's handler (tenantContextOf) and, when a page renders, its locals. */
export function setTenantContext(res: Response, ctx: TenantRequestContext): void {
  res.locals.ctx = ctx;
}

/** What every tenant view reads (links, permissions, plan features, the workspace's language): filled in when a page renders. */
export function tenantPageLocals(_req: Request, res: Response): void {
  const ctx = res.locals.ctx as TenantRequestContext | undefined;
  if (!ctx) return;
  res.locals.currentTenant = ctx.tenant;
  res.locals.url = (path?: string) => ctx.url(path);
  res.locals.can = (permission: Permission) => ctx.can(permission);
  res.locals.features = ctx.entitlements.features;
  useLanguage(res, () => ctx.language);
}

/** The context tenantAccess built for this response; a route without one is a wiring bug. */
export function tenantContextOf(res: Response): TenantRequestContext {
  const ctx = res.locals.ctx as TenantRequestContext | undefined;
  if (!ctx) throw new Error('tenant route reached without tenant entry');
  return ctx;
}
