import type { DocumentedRoute } from '../core/http/api-operation';
import { compileRoutePath, matchRoutePath, pathSegments, type RoutePath } from '../tenant-runtime/route-path';

/** What the operations documented at a request's method and path say of one kind of input. */
export type InputDeclaration = 'declared' | 'undeclared' | 'no-operation';

/**
 * For the REST paths' catalogue: whether an operation at this method and path declares the input
 * `declares` looks for (a body, a query), only ones that do not, or none is documented there. The
 * session context API keeps its own errors and is left out. HEAD is asked as GET.
 */
export function inputDeclarations(
  routes: readonly DocumentedRoute[],
  declares: (route: DocumentedRoute) => boolean,
): (method: string, path: string) => InputDeclaration {
  const compiled: Array<{ method: string; pattern: RoutePath; declared: boolean }> = routes
    .filter((r) => !r.operation.legacyErrors)
    .map((r) => ({ method: r.method.toUpperCase(), pattern: compileRoutePath(r.path), declared: declares(r) }));
  return (requestMethod, path) => {
    const method = requestMethod === 'HEAD' ? 'GET' : requestMethod;
    const segments = pathSegments(path);
    let found: InputDeclaration = 'no-operation';
    for (const route of compiled) {
      if (route.method !== method || !matches(route.pattern, segments)) continue;
      if (route.declared) return 'declared';
      found = 'undeclared';
    }
    return found;
  };
}

/** Whether the path has the route's shape; a malformed escape in a parameter is left to the route (its own 400). */
function matches(pattern: RoutePath, segments: readonly string[]): boolean {
  try {
    return matchRoutePath(pattern, segments) !== undefined;
  } catch {
    return false;
  }
}
