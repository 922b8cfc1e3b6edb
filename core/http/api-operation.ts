import type { z } from 'zod';

/** One documented answer of an operation. */
export interface ApiResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
}

/**
 * What the OpenAPI document says about one API route, given beside the route with the same zod
 * schemas that validate its input (core/http/openapi-document.ts turns them into JSON Schema).
 */
export interface ApiOperation {
  summary: string;
  description?: string;
  tags: string[];
  /** Path parameters; those not described are plain strings. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Default application/json. */
  bodyType?: 'application/json' | 'multipart/form-data';
  responses: Record<number, ApiResponseDoc>;
  /** The permission (tenant routes) or scope (super-admin routes) a caller needs. */
  scope?: string;
  /** The route accepts an Idempotency-Key header (every POST of the REST API). */
  idempotent?: boolean;
  /** Errors are `{ error: { code, message } }` rather than problem details (the session context API). */
  legacyErrors?: boolean;
}

export type HttpMethod = 'get' | 'post' | 'patch';

/** A route with its documentation, at its full path in express syntax (`/api/v1/t/:slug/items/:id`). */
export interface DocumentedRoute {
  method: HttpMethod;
  path: string;
  operation: ApiOperation;
}

/** Collects documented routes as routers declare them, so the document and the routers cannot drift. */
export class ApiCatalogue {
  readonly routes: DocumentedRoute[] = [];

  add(method: HttpMethod, path: string, operation: ApiOperation): void {
    this.routes.push({ method, path, operation });
  }

  /** The same catalogue seen from a router mounted at `prefix`. */
  under(prefix: string): { add: (method: HttpMethod, path: string, operation: ApiOperation) => void } {
    return { add: (method, path, operation) => this.add(method, joinPath(prefix, path), operation) };
  }
}

export function joinPath(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}
