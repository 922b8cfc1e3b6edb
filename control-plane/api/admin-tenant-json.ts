import { z } from 'zod';
import type { TenantRecord } from '../tenants/tenant-record';
import { isoTime as iso } from './admin-api-access';

/** A tenant as the admin API answers it (its lists, its reads and its commands). */
export const tenantSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: z.string(),
  schema_version: z.string().nullable(),
  created_at: z.string(),
  revision: z
    .number()
    .int()
    .describe('Raised by each change of the tenant (a rename, a status, its plan and overrides): send it back with a rename or a change of its plan'),
});

export function tenantJson(t: TenantRecord) {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    status: t.status,
    schema_version: t.schema_version,
    created_at: iso(t.created_at) as string,
    revision: t.updated_at,
  };
}

/** The path's tenant, named either way. */
export const tenantParams = z.object({ id: z.string().describe('The tenant id (t...) or its slug') });
