import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { tenantRoutes } from '../../app/tenant-routes';
import { isPermission } from '../../tenant-runtime/permission-catalogue';

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: Array<{ handle: { requiredPermission?: string } }> };
}

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
    const layers = (table.router as unknown as { stack: Layer[] }).stack;
    expect(layers.every((layer) => layer.route)).toBe(true);
    const ungated = layers
      .filter((layer) => {
        const stack = layer.route?.stack ?? [];
        const gate = stack.findIndex((h) => h.handle.requiredPermission !== undefined);
        // Only the JSON marker and the tenant entry may come before the gate.
        return gate < 0 || gate > 2 || !isPermission(stack[gate].handle.requiredPermission as string);
      })
      .map((layer) => `${Object.keys(layer.route?.methods ?? {}).join(',')} ${layer.route?.path}`);
    expect(ungated).toEqual([]);
    expect(layers).toHaveLength(table.routes.length);
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
