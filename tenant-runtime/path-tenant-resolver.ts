import type { Request } from 'express';
import { isWellFormedSlug } from './slug-rules';

/** Which tenant a request names, or undefined. `/t/:slug/...`; other resolvers (a subdomain) can be injected in its place. */
export type TenantResolver = (req: Request) => string | undefined;

export const pathTenantResolver: TenantResolver = (req) => {
  const slug = req.params.slug;
  return isWellFormedSlug(slug) ? slug : undefined;
};
