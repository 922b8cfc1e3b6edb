import { z } from 'zod';
import { digitsField } from '../../core/http/url-id';
import type { PlatformDatabase } from '../db/platform-database';
import { TENANT_STATUSES } from './tenant-record';
import type { TenantListRow } from './tenant-repository';
import { BOUND_OFFSET, limitClause } from '../../core/db/sql-limit';
import { searchCondition, searchPattern } from '../../core/db/search-fold';

export const TENANT_PAGE_SIZE = 50;

const SORT_COLUMNS = { slug: 't.slug', name: 't.name', created: 't.created_at', status: 't.status' } as const;
export type TenantSort = keyof typeof SORT_COLUMNS;

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** The console's tenant list filters, from the query string: a bad value is a 400 naming it. */
export const tenantListSchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(100, { error: 'must be at most 100 characters' }).optional()),
  status: z.preprocess(blankToUndefined, z.enum(TENANT_STATUSES, { error: 'must be one of the tenant statuses' }).optional()),
  sort: z.preprocess(blankToUndefined, z.enum(['slug', 'name', 'created', 'status'], { error: 'must be slug, name, created or status' }).default('slug')),
  dir: z.preprocess(blankToUndefined, z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('asc')),
  page: z.preprocess(
    blankToUndefined,
    digitsField(z.number({ error: 'must be a page number' }).int({ error: 'must be a page number' }).min(1).max(1_000_000).default(1)),
  ),
});
export type TenantListFilter = z.infer<typeof tenantListSchema>;

export interface TenantListPage {
  rows: TenantListRow[];
  total: number;
  page: number;
  pages: number;
}

/**
 * One page of the tenant list: search in slug and name (any case, in every script), one status
 * (tombstones only when asked for), sorted with the id as tie-breaker so pages never overlap. Each sort column has an
 * index whose order the page is read in (the default excludes purged rows exactly as the
 * partial slug index does), so a page costs an index walk to its offset and 50 rows, and the
 * member counts are counted for those 50 rows only.
 */
export function listTenantsPage(db: PlatformDatabase, filter: TenantListFilter, pageSize = TENANT_PAGE_SIZE): TenantListPage {
  const where: string[] = [filter.status ? 't.status = ?' : "t.status <> 'purged'"];
  const params: Array<string | number> = filter.status ? [filter.status] : [];
  if (filter.q) {
    // `%` and `_` typed by the operator match themselves; slugs are ASCII.
    const [name, shown] = [searchCondition('t.name', filter.q), searchCondition('t.display_name', filter.q)];
    where.push(`(t.slug like ? escape '\\' or ${name.sql} or ${shown.sql})`);
    params.push(searchPattern(filter.q), ...name.bindings, ...shown.bindings);
  }
  const whereSql = where.join(' and ');
  const total = db.get<{ n: number }>(`select count(*) as n from tenants t where ${whereSql}`, params)?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(filter.page, pages);
  const dir = filter.dir === 'desc' ? 'desc' : 'asc';
  const rows = db.all<TenantListRow>(
    `select t.*, (select count(*) from memberships m where m.tenant_id = t.id and m.status = 'active') as member_count,
            (select u.email from users u where u.id = t.created_by) as creator_email
       from tenants t where ${whereSql}
      order by ${SORT_COLUMNS[filter.sort]} ${dir}, t.id ${dir} ${limitClause(pageSize)} ${BOUND_OFFSET}`,
    [...params, (page - 1) * pageSize],
  );
  return { rows, total, page, pages };
}
