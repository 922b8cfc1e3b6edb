import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { tenantRoutes } from '../../app/tenant-routes';
import { isPermission } from '../../tenant-runtime/permission-catalogue';
import { apiRoutes } from '../../app/api-routes';

/** A step of a route as the gates mark themselves. */
type Step = { requiredPermission?: string; requiredFeature?: string };

/** Every route under a tenant must be declared with the permission it needs, and its gate must run before the handler. */
describe('tenant routes', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('each declare a known permission', () => {
    const table = tenantRoutes(t.platform);
    expect(table.routes.length).toBeGreaterThan(5);
    expect(table.routes.filter((r) => !isPermission(r.permission)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('each run their permission gate before any handler of their own', () => {
    const table = tenantRoutes(t.platform);
    const ungated = table.routes
      .filter((route) => {
        const steps = route.handlers as unknown as readonly Step[];
        const gate = steps.findIndex((h) => h.requiredPermission !== undefined);
        // Only the JSON marker and the tenant entry may come before the gate.
        return gate < 0 || gate > 2 || !isPermission(steps[gate].requiredPermission as string) || steps[gate].requiredPermission !== route.permission;
      })
      .map((route) => `${route.method} ${route.path}`);
    expect(ungated).toEqual([]);
  });

  it('answer JSON on every API route, and declare HTML everywhere else', () => {
    const table = tenantRoutes(t.platform);
    const wrong = table.routes.filter((r) => (r.path.startsWith('/api/') ? r.answers !== 'json' : r.answers !== 'html'));
    expect(wrong).toEqual([]);
  });

  it('declare the usage page with usage.view', () => {
    const table = tenantRoutes(t.platform);
    expect(table.routes.filter((r) => r.path === '/usage').map((r) => `${r.method} ${r.path} ${r.permission} ${r.answers}`)).toEqual([
      'get /usage usage.view html',
    ]);
  });
});

/** The plan feature each route belongs to; every other route needs none. */
const EXPECTED_FEATURES: Record<string, string[]> = {
  'get /items/import': ['csv'],
  'post /items/import': ['csv'],
  'post /items/import/preview': ['csv'],
  'post /items/import/problems.csv': ['csv'],
  'post /items/import/commit': ['csv'],
  'get /items.csv': ['csv'],
  'post /items/:id/schedule': ['scheduling'],
  'post /items/:id/unschedule': ['scheduling'],
  'get /settings/logo': ['branding'],
  'post /settings/logo': ['branding'],
  'post /settings/logo/delete': ['branding'],
  'post /items/:id/attachments': ['attachments'],
  'get /files/:fileId': ['attachments'],
  'post /files/:fileId/delete': ['attachments'],
  'get /roles': ['custom_roles'],
  'get /roles/new': ['custom_roles'],
  'post /roles': ['custom_roles'],
  'get /roles/:id': ['custom_roles'],
  'post /roles/:id': ['custom_roles'],
  'post /roles/:id/delete': ['custom_roles'],
  'get /tokens': ['api'],
  'post /tokens': ['api'],
  'post /tokens/:id/revoke': ['api'],
};

/** On the REST API every route needs `api`, and these their own feature too. */
const EXPECTED_API_FEATURES: Record<string, string[]> = {
  'post /items/:id/schedule': ['api', 'scheduling'],
  'post /items/:id/unschedule': ['api', 'scheduling'],
  'get /items/:id/attachments': ['api', 'attachments'],
  'post /items/:id/attachments': ['api', 'attachments'],
  'get /files/:fileId': ['api', 'attachments'],
  'post /roles': ['api', 'custom_roles'],
  'patch /roles/:id': ['api', 'custom_roles'],
  'post /roles/:id/delete': ['api', 'custom_roles'],
};

describe('tenant routes and plan features', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('each declare the feature they belong to, as the expected table says', () => {
    const declared = Object.fromEntries(tenantRoutes(t.platform).routes.map((r) => [`${r.method} ${r.path}`, r.features]));
    const expected = Object.fromEntries(Object.keys(declared).map((route) => [route, EXPECTED_FEATURES[route] ?? []]));
    expect(declared).toEqual(expected);
  });

  it('on the REST API each need api access, and their own feature where they have one', () => {
    const table = apiRoutes(t.platform, { deleteOfUser: () => 0 } as never).tenantTable;
    const declared = Object.fromEntries(table.routes.map((r) => [`${r.method} ${r.path}`, r.features]));
    const expected = Object.fromEntries(Object.keys(declared).map((route) => [route, EXPECTED_API_FEATURES[route] ?? ['api']]));
    expect(declared).toEqual(expected);
  });

  it('each run their feature gate right after the permission gate', () => {
    const misplaced = tenantRoutes(t.platform)
      .routes.filter((route) => {
        const steps = route.handlers as unknown as readonly Step[];
        const gate = steps.findIndex((h) => h.requiredFeature !== undefined);
        return gate >= 0 && steps[gate - 1]?.requiredPermission === undefined;
      })
      .map((route) => route.path);
    expect(misplaced).toEqual([]);
  });
});
