import type { Request } from 'express';
import { isWellFormedSlug } from './slug-rules';

/** Which tenant a request names: its slug and whether it came through a subdomain, or undefined. */
export interface ResolvedTenant {
  slug: string;
  onSubdomain: boolean;
}

/** A resolver is a small injected function; the tenant pages never read the URL or host themselves. */
export type TenantResolver = (req: Request) => ResolvedTenant | undefined;

/** `/t/:slug/...` (the router is mounted on that path). */
export const pathTenantResolver: TenantResolver = (req) => {
  const slug = req.params.slug;
  return isWellFormedSlug(slug) ? { slug, onSubdomain: false } : undefined;
};
