import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { tenantRoutes } from '../../app/tenant-routes';
import { isPermission } from '../../tenant-runtime/permission-catalogue';

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: Array<{ handle: { requiredPermission?: string } }> };
}

/** Every route under /t/:slug must declare the permission it needs, as its first handler. */
describe('tenant routes', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());

  it('each declare a known permission before any handler runs', () => {
    const router = tenantRoutes(t.platform) as unknown as { stack: Layer[] };
    const routes = router.stack.filter((layer) => layer.route);
    expect(routes.length).toBeGreaterThan(5);
    const undeclared = routes
      .filter((layer) => {
        const first = layer.route?.stack[0]?.handle.requiredPermission;
        return !first || !isPermission(first);
      })
      .map((layer) => `${Object.keys(layer.route?.methods ?? {}).join(',')} ${layer.route?.path}`);
    expect(undeclared).toEqual([]);
  });
});
