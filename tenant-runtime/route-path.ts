/** One segment of a route path: a literal (compared in lower case) or a named parameter. */
type Segment = { literal: string } | { param: string };

/** A route path made of literal and `:name` segments (`/items/:id/comments`), compiled once. */
export interface RoutePath {
  readonly segments: readonly Segment[];
}

const SEGMENT = /^(?::[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9._-]+)$/;

/**
 * Compiles a route's path. Only literal and `:name` segments are accepted (no wildcards,
 * optional parts or patterns), so matching is a comparison per segment; anything else is a
 * mistake in the route table, refused when the table is built.
 */
export function compileRoutePath(path: string): RoutePath {
  if (path === '/') return { segments: [] };
  const parts = path.split('/');
  if (parts[0] !== '' || parts.slice(1).some((part) => !SEGMENT.test(part))) {
    throw new Error(`route path ${path}: only literal and :name segments are supported`);
  }
  return { segments: parts.slice(1).map((part) => (part.startsWith(':') ? { param: part.slice(1) } : { literal: part.toLowerCase() })) };
}

/** A request path (no query) as its segments: `/items/5/` gives ['items', '5'] (one trailing slash is allowed). */
export function pathSegments(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed === '/' || trimmed === '' ? [] : trimmed.slice(1).split('/');
}

/**
 * The parameters when the segments match the route (undefined otherwise): literals match in
 * any case, a parameter matches any non-empty segment and is percent-decoded (a malformed
 * escape throws URIError, which the error handler answers with a 400).
 */
export function matchRoutePath(route: RoutePath, segments: readonly string[]): Record<string, string> | undefined {
  const wanted = route.segments;
  if (wanted.length !== segments.length) return undefined;
  for (let i = 0; i < wanted.length; i++) {
    const want = wanted[i];
    if ('literal' in want && want.literal !== segments[i].toLowerCase()) return undefined;
    if ('param' in want && segments[i] === '') return undefined;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < wanted.length; i++) {
    const want = wanted[i];
    if ('param' in want) params[want.param] = decodeURIComponent(segments[i]);
  }
  return params;
}
