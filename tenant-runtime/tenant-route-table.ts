import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Permission } from './permission-catalogue';
import { requirePermission, type RefusalListener } from './require-permission';
import { requireFeature } from './require-feature';
import type { FeatureKey } from './plan-catalogue';
import { tenantContextOf, type TenantOutsider } from './tenant-access-middleware';
import type { TenantRequestContext } from './tenant-request-context';
import { formView, type FormLocals } from '../core/http/form-view';
import { declareJson } from '../core/http/answers-json';
import type { ApiOperation, HttpMethod } from '../core/http/api-operation';
import { requireConfirmation, type Confirmation } from '../core/http/confirm-action';
import { series } from '../core/http/middleware-series';
import { enterMount } from '../core/http/path-mount';
import { noteRoute } from '../core/http/request-timing';
import { compileRoutePath, matchRoutePath, pathSegments, type RoutePath } from './route-path';

/** A tenant route's handler: the context first, then express's request and response. */
export type TenantHandler = (ctx: TenantRequestContext, req: Request, res: Response) => unknown;

/** Builds what a page shows from the context; the route renders it, a refused form re-renders it. */
export type PageLoader = (ctx: TenantRequestContext, req: Request) => FormLocals;

export interface RouteSpec {
  permission: Permission;
  /** The plan feature the route belongs to: checked right after the permission (off: 404 for a page, 403 feature_disabled for JSON). */
  feature?: FeatureKey;
  /** `json` routes answer every error as JSON, the 404 of tenant entry included. Default `html`. */
  answers?: 'html' | 'json';
  /** Express middleware run after the permission gate and before the handler (uploads, rate limits); entry, the permission and the features are asked again after them. */
  before?: RequestHandler[];
  /** A form POST: on refused input, `view` is shown again with what `load` returns (called only then). */
  form?: { view: string; load: PageLoader };
  /** A destructive POST: runs only once confirmed (core/http/confirm-action.ts); this says what will happen. */
  confirm?: (ctx: TenantRequestContext, req: Request) => Confirmation;
  /** The REST API's routes describe themselves for the OpenAPI document. */
  doc?: ApiOperation;
  /** Asked instead of entry's 404 for someone the gate does not admit (tenant-access-middleware.ts, TenantOutsider). */
  outsider?: TenantOutsider;
}

export interface DeclaredRoute {
  method: HttpMethod;
  path: string;
  permission: Permission;
  /** Every feature the route needs (the table's and its own), checked in this order. */
  features: FeatureKey[];
  answers: 'html' | 'json';
  doc?: ApiOperation;
  /** What runs, in order: the gates first (a test proves it), the route's own handler last. */
  handlers: readonly RequestHandler[];
}

interface CompiledRoute {
  method: HttpMethod;
  /** The route's path pattern, for request metrics. */
  path: string;
  pattern: RoutePath;
  run: RequestHandler;
}

export interface TableOptions {
  /** A feature every route of the table belongs to (the REST API's table: `api`). */
  feature?: FeatureKey;
  /** Run on every route after its gates, before its own middleware (the API's per-request count). */
  afterGates?: RequestHandler[];
}

/**
 * Tenant routes are declared with the permission they need (and the plan feature they belong
 * to, if any); there is no other way to add
 * one, and a test walks the table to prove every route has its gate. Each route runs: tenant
 * entry (resolve, membership, lease, context) -> permission gate -> feature gate -> middleware -> handler,
 * and the handler is given the context.
 *
 * The table dispatches its own requests (`handler`): the route is found by method and path
 * segments, in the order routes were declared, and its steps run as one series. That is what
 * express's router would do with the same routes (paths are literal or `:name` segments, matched
 * case-insensitively, one trailing slash allowed, parameters decoded, HEAD served by GET), without
 * a router layer per route and per step on every request.
 */
export class TenantRouteTable {
  readonly routes: DeclaredRoute[] = [];
  private readonly compiled: CompiledRoute[] = [];

  /** Serves the table's routes under wherever it is mounted (`req.url` is the rest of the path); anything else goes on. */
  readonly handler: RequestHandler = (req, res, next) => this.dispatch(req, res, next);

  constructor(
    private readonly entry: RequestHandler & { readmit?: RequestHandler; orElse?: (outsider: TenantOutsider) => RequestHandler },
    private readonly onRefused?: RefusalListener,
    private readonly options: TableOptions = {},
  ) {}

  get(path: string, spec: Permission | RouteSpec, handler: TenantHandler): this {
    return this.add('get', path, spec, handler);
  }

  post(path: string, spec: Permission | RouteSpec, handler: TenantHandler): this {
    return this.add('post', path, spec, handler);
  }

  patch(path: string, spec: Permission | RouteSpec, handler: TenantHandler): this {
    return this.add('patch', path, spec, handler);
  }

  private add(method: HttpMethod, path: string, specOrPermission: Permission | RouteSpec, handler: TenantHandler): this {
    const spec: RouteSpec = typeof specOrPermission === 'string' ? { permission: specOrPermission } : specOrPermission;
    const answers = spec.answers ?? 'html';
    const chain: RequestHandler[] = [];
    if (answers === 'json') chain.push(declareJson);
    const entry = spec.outsider && this.entry.orElse ? this.entry.orElse(spec.outsider) : this.entry;
    chain.push(entry, requirePermission(spec.permission, this.onRefused));
    const features = [...new Set([this.options.feature, spec.feature].filter((f): f is FeatureKey => f !== undefined))];
    for (const feature of features) chain.push(requireFeature(feature, answers));
    chain.push(...(this.options.afterGates ?? []));
    if (spec.form) {
      const { view, load } = spec.form;
      chain.push((req, res, next) => {
        // The loader runs later, in the error handler, where the table has put back the mount's req.params.
        const params = req.params;
        formView(view, () => load(tenantContextOf(res), Object.assign(req, { params })))(req, res, next);
      });
    }
    const { confirm } = spec;
    if (confirm) chain.push(requireConfirmation((req, res) => confirm(tenantContextOf(res), req)));
    if (spec.before?.length) {
      chain.push(...spec.before);
      // What ran before may have taken a while (an upload's body): entry, the permission and the features are asked
      // again, so a member removed or demoted, a token revoked or a feature taken off the plan meanwhile changes nothing.
      if (this.entry.readmit) {
        chain.push(this.entry.readmit, requirePermission(spec.permission, this.onRefused));
        for (const feature of features) chain.push(requireFeature(feature, answers));
      }
    }
    chain.push((req, res) => handler(tenantContextOf(res), req, res));
    this.compiled.push({ method, path, pattern: compileRoutePath(path), run: series(chain) });
    this.routes.push({ method, path, permission: spec.permission, features, answers, ...(spec.doc ? { doc: spec.doc } : {}), handlers: chain });
    return this;
  }

  private dispatch(req: Request, res: Response, next: NextFunction): void {
    let found: { route: CompiledRoute; params: Record<string, string> } | undefined;
    try {
      found = this.find(req.method, req.url);
    } catch (error) {
      // A malformed escape in a parameter (URIError): a 400, as express's router answers it.
      return next(error);
    }
    if (!found) return next();
    const { route, params } = found;
    const merged = Object.assign({}, req.params, params);
    noteRoute(req, route.path, merged);
    // The route's parameters for its steps, the mount's put back when the request goes on.
    enterMount(req, res, next, route.run, 0, merged);
  }

  private find(method: string, url: string): { route: CompiledRoute; params: Record<string, string> } | undefined {
    const wanted = method === 'HEAD' ? 'get' : method.toLowerCase();
    const query = url.indexOf('?');
    const segments = pathSegments(query < 0 ? url : url.slice(0, query));
    for (const route of this.compiled) {
      if (route.method !== wanted) continue;
      const params = matchRoutePath(route.pattern, segments);
      if (params) return { route, params };
    }
    return undefined;
  }
}
