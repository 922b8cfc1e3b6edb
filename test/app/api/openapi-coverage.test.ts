import request from 'supertest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Router } from 'express';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';
import { apiRoutes } from '../../../app/api-routes';
import { TenantRouteTable } from '../../../tenant-runtime/tenant-route-table';
import { openApiPath } from '../../../core/http/openapi-document';
import { joinPath } from '../../../core/http/api-operation';
import { isPermission } from '../../../tenant-runtime/permission-catalogue';
import { makeUser } from '../../support/factories';
import { signIn } from '../../support/http-agent';

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: Array<{ handle: { requiredPermission?: string } }> };
}

/** Runs @apidevtools/swagger-parser on the document in a node process of its own (test/support/validate-openapi.js). */
function validate(document: unknown): { valid: boolean; output: string } {
  const run = spawnSync(process.execPath, [path.resolve(__dirname, '../../support/validate-openapi.js')], {
    input: JSON.stringify(document),
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { valid: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/** Every route of the API's routers, as "METHOD /openapi/{path}", by walking the express routers and the tenant table themselves. */
function routesOf(mounts: Array<{ prefix: string; router: Router | TenantRouteTable }>): string[] {
  const found: string[] = [];
  for (const { prefix, router } of mounts) {
    if (router instanceof TenantRouteTable) {
      for (const route of router.routes) found.push(`${route.method.toUpperCase()} ${openApiPath(joinPath(prefix, route.path))}`);
      continue;
    }
    for (const layer of (router as unknown as { stack: Layer[] }).stack) {
      if (!layer.route) continue;
      for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${openApiPath(joinPath(prefix, layer.route.path))}`);
    }
  }
  return found.sort();
}

interface OpenApiShape {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody: { content: Record<string, { schema: { required: string[]; properties: Record<string, unknown> } }> };
        parameters: Array<{ name: string; in: string }>;
        'x-permission': string;
      }
    >
  >;
}

describe('the OpenAPI document', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('is served at /api/v1/openapi.json and is a valid OpenAPI 3.1 document', async () => {
    const res = await request(createApp(t.platform).app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(validate(res.body)).toEqual({ valid: true, output: 'valid\n' });
    // The validator does find problems: a document without its version is refused.
    expect(validate({ ...res.body, info: { title: 'x' } }).valid).toBe(false);
  });

  it('documents every route of the API routers, and every documented route exists', () => {
    const api = apiRoutes(t.platform, { destroyAllForUser: () => 0 });
    const document = api.document() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const routed = routesOf(api.mounts);
    expect(routed.length).toBeGreaterThan(25);
    expect(documented).toEqual(routed);
  });

  it('describes request bodies from the zod schemas that validate them, field by field', () => {
    const document = apiRoutes(t.platform, { destroyAllForUser: () => 0 }).document() as unknown as OpenApiShape;
    const create = document.paths['/api/v1/t/{slug}/items'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['title']);
    expect(schema.properties.title).toMatchObject({ type: 'string', maxLength: 200 });
    expect(schema.properties.tags).toMatchObject({ type: 'array', maxItems: 20 });
    expect(create.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
    expect(create['x-permission']).toBe('content.create');
    const list = document.paths['/api/v1/t/{slug}/items'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['slug', 'status', 'channel', 'tag', 'q', 'limit', 'cursor']));
  });

  it('gates every tenant API route with a known permission before its handler, and answers JSON on each', () => {
    const { tenantTable } = apiRoutes(t.platform, { destroyAllForUser: () => 0 });
    expect(tenantTable.routes.every((r) => isPermission(r.permission) && r.answers === 'json' && r.doc)).toBe(true);
    const ungated = tenantTable.routes.filter((route) => {
      const gate = route.handlers.findIndex((h) => (h as { requiredPermission?: string }).requiredPermission !== undefined);
      return gate < 0 || gate > 2;
    });
    expect(ungated).toEqual([]);
  });

  it('has a docs page, served locally and linked from the account page, listing every operation', async () => {
    const app = createApp(t.platform).app;
    const page = await request(app).get('/docs/api');
    expect(page.status).toBe(200);
    expect(page.text).toContain('GET /api/v1/t/{slug}/items');
    expect(page.text).toContain('id="problem-idempotency_key_reused"');
    expect(page.text).not.toMatch(/<script[^>]+src="https?:/);
    const user = await makeUser(t.platform);
    const account = await (await signIn(app, user.email)).get('/account');
    expect(account.text).toContain('href="/docs/api"');
    expect(account.text).toContain('href="/account/tokens"');
  });
});
