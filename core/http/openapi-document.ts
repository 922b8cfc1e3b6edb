import { z } from 'zod';
import type { ApiOperation, DocumentedRoute } from './api-operation';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), by zod's own converter, describing what a client sends. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** `/items/:id` -> `/items/{id}` */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function pathParameterNames(expressPath: string): string[] {
  return [...expressPath.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}

function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function parameters(route: DocumentedRoute): unknown[] {
  const op = route.operation;
  const params: unknown[] = [];
  const pathShape = op.params?.shape ?? {};
  for (const name of pathParameterNames(route.path)) {
    const schema = pathShape[name] as z.ZodType | undefined;
    params.push({ name, in: 'path', required: true, schema: schema ? jsonSchemaOf(schema) : { type: 'string' } });
  }
  for (const [name, schema] of Object.entries(op.query?.shape ?? {})) {
    const json = jsonSchemaOf(schema as z.ZodType);
    const description = json.description;
    delete json.description;
    params.push({ name, in: 'query', required: !(schema as z.ZodType).safeParse(undefined).success, schema: json, ...(description ? { description } : {}) });
  }
  if (op.idempotent)
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'A repeat with the same key and body within 24 hours replays the first answer; with another body it is refused (422 idempotency_key_reused); while the first is still running, 409 idempotency_key_in_use. A refused request (4xx) keeps nothing: the corrected request may use its key.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  return params;
}

function operationObject(route: DocumentedRoute): Record<string, unknown> {
  const op: ApiOperation = route.operation;
  const responses: Record<string, unknown> = {};
  for (const [status, doc] of Object.entries(op.responses)) {
    responses[status] = {
      description: doc.description,
      ...(doc.schema || doc.contentType
        ? { content: { [doc.contentType ?? 'application/json']: { schema: doc.schema ? jsonSchemaOf(doc.schema, 'output') : {} } } }
        : {}),
    };
  }
  responses.default = op.legacyErrors
    ? { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/LegacyError' } } } }
    : { description: 'An error, as RFC 9457 problem details', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  const scope = op.scope ? [op.scope] : [];
  return {
    operationId: operationId(route.method, route.path),
    summary: op.summary,
    ...(op.description || op.scope ? { description: [op.description, op.scope ? `Needs \`${op.scope}\`.` : undefined].filter(Boolean).join('\n\n') } : {}),
    tags: op.tags,
    ...(op.scope ? { 'x-permission': op.scope } : {}),
    parameters: parameters(route),
    // A body whose every field may be left out may be left out itself (the server reads none as `{}`).
    ...(op.body
      ? { requestBody: { required: !op.body.safeParse({}).success, content: { [op.bodyType ?? 'application/json']: { schema: jsonSchemaOf(op.body) } } } }
      : {}),
    responses,
    security: [{ bearerToken: scope }, { sessionCookie: scope }],
  };
}

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().describe('Stable error code, e.g. validation_failed, not_found, forbidden, idempotency_key_reused'),
  instance: z.string().optional(),
  request_id: z.string().optional(),
  errors: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .describe('For validation_failed: each field and its reason'),
  current_revision: z.number().int().optional().describe('For revision_conflict: the current revision of the item (or the settings)'),
  limit: z.string().optional().describe('For limit_reached: the limit of the plan (items, members, storage_bytes…)'),
  used: z.number().optional().describe('For limit_reached: the use now'),
  max: z.number().optional().describe('For limit_reached: the limit'),
  notice: z
    .object({
      state: z.enum(['suspended', 'damaged']),
      tenant_name: z.string(),
      reason: z.string().nullable(),
      until: z.string().nullable().describe('ISO 8601, UTC: when a suspension ends by itself'),
      contacts: z.array(z.string()).describe('Whom to contact: the support contact, then the owners'),
    })
    .optional()
    .describe('For tenant_suspended and tenant_damaged: why the workspace is closed, until when, whom to contact'),
});

const legacyErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.array(z.object({ field: z.string(), message: z.string() })).optional() }),
});

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
  serverUrl: string;
}

/** The OpenAPI 3.1 document of the given routes. */
export function buildOpenApiDocument(info: DocumentInfo, routes: DocumentedRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const key = openApiPath(route.path);
    paths[key] ??= {};
    paths[key][route.method] = operationObject(route);
  }
  const tags = [...new Set(routes.flatMap((r) => r.operation.tags))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.serverUrl }],
    tags,
    paths,
    components: {
      schemas: { Problem: jsonSchemaOf(problemSchema, 'output'), LegacyError: jsonSchemaOf(legacyErrorSchema, 'output') },
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: "An API token (`tnt_...`) from /account/tokens or a workspace's tokens page." },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tenantry.sid',
          description: 'A signed-in browser session; POSTs then need the x-csrf-token header.',
        },
      },
    },
  };
}
