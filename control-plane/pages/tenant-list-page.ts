import type { ControlPlane } from '../control-plane';
import { tenantDiskUsage } from '../tenants/tenant-disk-usage';
import { listTenantsPage, type TenantListFilter } from '../tenants/tenant-list-query';
import { TENANT_STATUSES } from '../tenants/tenant-record';

const FILTER_KEYS = ['q', 'status', 'sort', 'dir'] as const;

/** The query string of a list page with these filters (and a page number). */
export function tenantListHref(filters: Partial<Record<(typeof FILTER_KEYS)[number] | 'page', string | number | undefined>>): string {
  const params = new URLSearchParams();
  const defaults: Record<string, string | number> = { page: 1, sort: 'slug', dir: 'asc' };
  for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== '' && defaults[key] !== value) params.set(key, String(value));
  const query = params.toString();
  return `/admin/tenants${query ? `?${query}` : ''}`;
}

/** The super admin's tenant list: one page, with sizes for its rows only (a folder walk each). */
export function loadTenantListPage(platform: ControlPlane, filter?: TenantListFilter, typed: Record<string, string> = {}) {
  const { dataDir } = platform.config;
  const result = filter ? listTenantsPage(platform.db, filter) : { rows: [], total: 0, page: 1, pages: 1 };
  const tenants = result.rows.map((t) => ({ ...t, bytes: tenantDiskUsage(dataDir, t.id, t.status === 'archived' ? 'archive' : 'live') }));
  const current = { q: filter?.q, status: filter?.status, sort: filter?.sort, dir: filter?.dir };
  const sortHref = (sort: string) => tenantListHref({ ...current, sort, dir: filter?.sort === sort && filter.dir === 'asc' ? 'desc' : 'asc' });
  return {
    title: 'Tenants',
    tenants,
    total: result.total,
    page: result.page,
    pages: result.pages,
    filters: typed,
    sort: filter?.sort ?? 'slug',
    dir: filter?.dir ?? 'asc',
    statuses: TENANT_STATUSES,
    latestVersion: platform.tenantSource.latest,
    sortHref,
    prevHref: result.page > 1 ? tenantListHref({ ...current, page: result.page - 1 }) : undefined,
    nextHref: result.page < result.pages ? tenantListHref({ ...current, page: result.page + 1 }) : undefined,
  };
}

/** What was typed in the filter form, to show it again (also when it was refused). */
export function typedTenantFilters(query: Record<string, unknown>): Record<string, string> {
  const typed: Record<string, string> = {};
  for (const key of FILTER_KEYS) if (typeof query[key] === 'string') typed[key] = (query[key] as string).slice(0, 100);
  return typed;
}
