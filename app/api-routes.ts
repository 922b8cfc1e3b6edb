import { Router, type Express } from 'express';
import type { Platform } from './create-platform';
import { ApiCatalogue } from '../core/http/api-operation';
import { buildOpenApiDocument } from '../core/http/openapi-document';
import { declareJson } from '../core/http/answers-json';
import { declareProblemJson } from '../core/http/problem-json';
import { tenantAccess } from '../tenant-runtime/tenant-access-middleware';
import { TenantRouteTable } from '../tenant-runtime/tenant-route-table';
import { pathTenantResolver } from '../tenant-runtime/path-tenant-resolver';
import { accessRefused } from '../tenant-runtime/audit-sink';
import { membershipGate } from '../control-plane/tenants/membership-gate';
import { tokenAwareGate } from '../control-plane/api-tokens/token-gate';
import { createApiRateLimit } from '../control-plane/api-tokens/api-rate-limit';
import { contextApiRoutes } from '../control-plane/routes/context-api-routes';
import { documentContextApi } from '../control-plane/api/context-api-docs';
import { teamApiRoutes, teamScope } from '../control-plane/api/team-api-routes';
import { deletionRequestApiRoutes } from '../control-plane/api/deletion-request-api-routes';
import { adminApiRoutes } from '../control-plane/api/admin-api-routes';
import { apiMetaRoutes } from '../control-plane/api/api-meta-routes';
import type { SessionRows } from '../control-plane/users/change-user-status';
import { workspaceApiRoutes } from '../workspace/api/workspace-api-routes';
import { workspaceBranding } from '../workspace/settings/branding';
import { meterApiRequests } from '../workspace/usage/meter-api-requests';
import { BackgroundTasks } from '../core/jobs/background-tasks';
import { readableBodiesOnly } from '../core/http/readable-bodies-only';
import { UnsupportedMediaTypeError } from '../core/errors/app-errors';
import { unmatchedApiPath } from './unmatched-api-path';
import { bodiesWhereNoneTaken } from './bodies-where-none-taken';
import { queriesWhereNoneTaken } from './queries-where-none-taken';

const { version } = require('../package.json') as { version: string };

export const API_PREFIX = '/api/v1';
export const TENANT_API_PREFIX = `${API_PREFIX}/t/:slug`;
/** The REST API's paths: problem+json errors (from the first middleware on) and the per-token rate limit. */
export const REST_PATHS = [`${API_PREFIX}/t`, `${API_PREFIX}/admin`, `${API_PREFIX}/me`, `${API_PREFIX}/openapi.json`];

/** One router (or the tenant route table) of the API and where it is mounted; the OpenAPI coverage test walks these. */
export interface ApiMount {
  prefix: string;
  router: Router | TenantRouteTable;
}

export interface ApiParts {
  mounts: ApiMount[];
  catalogue: ApiCatalogue;
  /** The tenant routes' table (its routes carry their permission and documentation). */
  tenantTable: TenantRouteTable;
  document: () => Record<string, unknown>;
}

/**
 * The REST API v1. Tenant routes live on their own TenantRouteTable, built like the pages' one:
 * the same tenant entry (resolver, membership gate, lease, context) and permission gate, with a
 * gate that also answers for API tokens (control-plane/api-tokens/token-gate.ts). Every route
 * documents itself in one catalogue, from which the OpenAPI document is generated.
 */
export function apiRoutes(platform: Platform, sessions: SessionRows, background: BackgroundTasks = new BackgroundTasks(platform.logger)): ApiParts {
  const catalogue = new ApiCatalogue();
  const entry = tenantAccess({
    resolve: pathTenantResolver,
    gate: tokenAwareGate(platform, membershipGate(platform)),
    router: platform.router,
    audit: platform.audit,
    urls: platform.urls,
    branding: workspaceBranding,
  });
  // Every tenant route of the API needs the plan's API access, and each token request is counted.
  const tenantTable = new TenantRouteTable(
    entry,
    (req, tenantId, permission) => platform.audit.record(accessRefused(req, { tenantId, reason: 'permission', permission })),
    { feature: 'api', afterGates: [meterApiRequests] },
  );
  workspaceApiRoutes(tenantTable, platform, (name, work) => background.run(name, work));
  teamApiRoutes(tenantTable, platform);
  deletionRequestApiRoutes(tenantTable, platform, (tenant, req) => teamScope(platform, tenant, req));
  for (const route of tenantTable.routes)
    if (route.doc) catalogue.add(route.method, `${TENANT_API_PREFIX}${route.path}`, { ...route.doc, scope: route.doc.scope ?? route.permission });

  documentContextApi(catalogue.under(API_PREFIX));
  const admin = adminApiRoutes(platform, sessions, catalogue.under(`${API_PREFIX}/admin`));
  let document: Record<string, unknown> | undefined;
  const documentOf = () =>
    (document ??= buildOpenApiDocument(
      {
        title: 'Tenantry API',
        version,
        description: 'Items, workflow, comments, attachments, team and settings of a workspace; tenants and users for super admins.',
        serverUrl: platform.config.baseUrl,
      },
      catalogue.routes,
    ));
  const meta = apiMetaRoutes(platform, documentOf, catalogue.under(API_PREFIX));
  return {
    catalogue,
    tenantTable,
    document: documentOf,
    mounts: [
      { prefix: API_PREFIX, router: meta },
      { prefix: TENANT_API_PREFIX, router: tenantTable },
      { prefix: `${API_PREFIX}/admin`, router: admin },
      { prefix: API_PREFIX, router: contextApiRoutes(platform) },
    ],
  };
}

/**
 * Mounts the API: the REST paths answer problem+json, count against the per-token rate limit and
 * refuse a body or a query parameter where the operation takes none before any router sees them;
 * the context API keeps its own JSON errors. An address under
 * /api/v1 that no router answers is a 405 (a known address, another method) or a 404.
 */
export function mountApi(app: Express, platform: Platform, api: ApiParts): void {
  app.use(
    REST_PATHS,
    declareProblemJson,
    createApiRateLimit(platform.config.apiRateLimit),
    readableBodiesOnly({ types: ['application/json'], acceptsFiles: (path) => path.endsWith('/attachments'), refusal: () => new UnsupportedMediaTypeError() }),
    bodiesWhereNoneTaken(api.catalogue.routes),
    queriesWhereNoneTaken(api.catalogue.routes),
  );
  for (const { prefix, router } of api.mounts) app.use(prefix, declareJson, router instanceof TenantRouteTable ? router.handler : router);
  // What no router answered: a known address with another method (405, Allow), else the API's 404.
  app.use(API_PREFIX, unmatchedApiPath(api.catalogue.routes));
}
