import type http from 'node:http';
import type { Platform } from '../../app/create-platform';
import { tenantRoutes } from '../../app/tenant-routes';
import { apiRoutes, TENANT_API_PREFIX } from '../../app/api-routes';

/** One declared route: its method and its full path pattern (`/t/:slug/items/:id`). */
export interface Route {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
}

/** Every route of the app: express's routers walked from the app, and the two tenant route tables. */
export function declaredRoutes(app: http.RequestListener, platform: Platform): Route[] {
  const routes: Route[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) if (method !== '_all') routes.push({ method, path: prefix + layer.route.path });
      } else if (layer.handle.stack) {
        const mounts = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath ?? '/'];
        for (const mount of mounts) walk(layer.handle.stack, mount === '/' ? prefix : prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  for (const r of tenantRoutes(platform).routes) routes.push({ method: r.method, path: `/t/:slug${r.path}` });
  for (const r of apiRoutes(platform, { destroyAllForUser: () => 0 }).tenantTable.routes)
    routes.push({ method: r.method, path: `${TENANT_API_PREFIX}${r.path}` });
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path.replace(/\/$/, '')}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}
