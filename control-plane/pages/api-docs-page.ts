type Json = Record<string, unknown>;

export interface DocField {
  name: string;
  where: string;
  type: string;
  required: boolean;
  description: string;
}

export interface DocOperation {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  fields: DocField[];
  bodyType: string | null;
  responses: Array<{ status: string; description: string }>;
}

/** Error codes the API answers with, each with an anchor the problem documents' `type` points at. */
export const PROBLEM_CODES: Record<string, string> = {
  validation_failed: 'A field is missing or wrong, or is not one the request takes (a typo); `errors` names each field and its reason.',
  bad_request: 'The request could not be read: JSON that does not parse, or an address with a broken escape.',
  unsupported_media_type: 'The body is not JSON in UTF-8 (a file goes as multipart/form-data to an attachments route).',
  invalid_token: 'The bearer token is malformed, unknown, revoked or expired, or its user is disabled.',
  unauthenticated: 'Neither a token nor a signed-in session came with the request.',
  csrf_invalid:
    'A POST of a signed-in session came without the `x-csrf-token` header that `GET /api/v1/context` hands out (or with a stale one). Tokens need none.',
  session_replaced:
    'The signed-in session the request came with was replaced a moment ago by another request of the same browser (a second click, another tab); nothing was done. Send it again with the new session cookie (reload the page).',
  session_only: 'The context API (`/api/v1/context`, `/api/v1/tenants`) serves the pages on their signed-in session; a token is refused there.',
  forbidden: "The token's scopes, or the role of its user, do not allow this.",
  not_found: 'No such thing here (or it belongs to another workspace: the answer is the same).',
  method_not_allowed: 'The address exists but does not take this method; the Allow header lists those it takes (OPTIONS answers with it too).',
  conflict: 'The thing is not in a state that allows this (an item already published, an invitation already used).',
  revision_conflict:
    'The item changed since you read it: the `revision` you sent is not its current one (`current_revision`). Nothing was changed; read it again, check the changes and retry.',
  idempotency_key_reused: 'The Idempotency-Key was used before with another request (422): send a new key with a new request.',
  idempotency_key_in_use: 'A request with this Idempotency-Key is still being processed (409): retry once it is done.',
  rate_limited: 'Too many requests for this token; the RateLimit header says when to try again.',
  payload_too_large: 'The JSON body is larger than 100 kB. (A file over its size limit is a validation_failed naming the `file` field.)',
  range_not_satisfiable: 'The Range asked of a download lies outside the file; Content-Range gives its size.',
  limit_reached: "The workspace's plan allows no more of this (members, items, storage…); the answer says which limit.",
  feature_disabled: "The workspace's plan does not include this feature.",
  tenant_suspended: 'The workspace is suspended; the answer says why and until when.',
  tenant_damaged: 'The workspace cannot be opened: its data needs the attention of the people who run the service.',
  operation_failed: 'The operation could not be done now (a backup that fails its checks, a file still in use); nothing was changed.',
  disk_full: "The server's disk is full; nothing was written.",
  busy: 'Another task of the service held the data this needs for too long; nothing was written. Send it again after the Retry-After header.',
  internal_error: 'Something went wrong on our side; it has been logged with the request id.',
  provisioning_failed: 'A new workspace could not be set up; the failure is logged with the request id for the people who run the service.',
  tenant_unavailable: 'The workspace is being upgraded or is unavailable; try again later.',
};

function typeOf(schema: Json | undefined): string {
  if (!schema) return 'any';
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(typeOf).join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items as Json)}[]`;
  if (typeof schema.type === 'string') return schema.format ? `${schema.type} (${String(schema.format)})` : schema.type;
  return 'object';
}

function bodyFields(schema: Json | undefined): DocField[] {
  const properties = (schema?.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, prop]) => ({
    name,
    where: 'body',
    type: typeOf(prop),
    required: required.has(name) && prop.default === undefined,
    description: typeof prop.description === 'string' ? prop.description : '',
  }));
}

/** The docs page, built from the OpenAPI document itself (never from a second description of the routes). */
export function loadApiDocsPage(document: Json, baseUrl: string) {
  const paths = document.paths as Record<string, Record<string, Json>>;
  const byTag = new Map<string, DocOperation[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = ((op.parameters as Json[] | undefined) ?? []).map((p) => ({
        name: String(p.name),
        where: String(p.in),
        type: typeOf(p.schema as Json),
        required: Boolean(p.required),
        description: typeof p.description === 'string' ? p.description : '',
      }));
      const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
      const bodyType = Object.keys(content)[0] ?? null;
      const fields = [...params, ...(bodyType ? bodyFields(content[bodyType].schema as Json) : [])];
      const responses = Object.entries(op.responses as Record<string, Json>).map(([status, r]) => ({ status, description: String(r.description) }));
      const entry: DocOperation = {
        id: String(op.operationId),
        method: method.toUpperCase(),
        path,
        summary: String(op.summary),
        description: typeof op.description === 'string' ? op.description : '',
        fields,
        bodyType,
        responses,
      };
      const tag = ((op.tags as string[] | undefined) ?? ['Other'])[0];
      byTag.set(tag, [...(byTag.get(tag) ?? []), entry]);
    }
  }
  return { title: 'API', baseUrl, groups: [...byTag.entries()].map(([tag, operations]) => ({ tag, operations })), problems: PROBLEM_CODES };
}
