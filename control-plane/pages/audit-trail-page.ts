import { zonedClock } from '../../core/time/zoned-clock';
import { shortUserAgent } from '../../core/http/short-user-agent';
import type { Request } from 'express';
import { filterQuery, type AuditFilter } from '../audit/audit-filter';
import type { AuditPage } from '../audit/audit-query';

const FILTER_KEYS = ['tenant', 'action', 'actor', 'from', 'to'] as const;

/** What was typed in the filter form, to show it again (also when it was refused). */
export function typedFilters(req: Request): Record<string, string> {
  const typed: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = req.query[key];
    if (typeof value === 'string') typed[key] = value.slice(0, 320);
  }
  return typed;
}

/** Which trail a page shows: its title and address, and whether it spans every tenant. */
export interface TrailBase {
  title: string;
  /** The time zone the trail's times are shown in (the workspace's, or UTC for the platform's trail). */
  zone: string;
  path: string;
  allTenants: boolean;
  actions: string[];
}

/** The `audit/trail` page, shared by the tenant's trail and the super admin's (empty when the filter was refused). */
export function loadAuditTrailPage(req: Request, base: TrailBase, filter?: AuditFilter & { tenant?: string }, result?: AuditPage) {
  const page = result?.page ?? 1;
  const pages = result ? result.pages : 1;
  const clock = zonedClock(base.zone);
  return {
    shortAgent: shortUserAgent,
    when: clock.format,
    zone: clock.zoneName,
    title: base.title,
    allTenants: base.allTenants,
    actions: base.actions,
    basePath: base.path,
    filters: typedFilters(req),
    events: result?.events ?? [],
    total: result?.total ?? 0,
    more: result?.more ?? false,
    page,
    pages,
    prevHref: filter && page > 1 ? base.path + filterQuery(filter, page - 1) : undefined,
    nextHref: filter && result?.hasNext ? base.path + filterQuery(filter, page + 1) : undefined,
    csvHref: filter ? `${base.path}.csv${filterQuery(filter)}` : undefined,
  };
}

/** `audit-<scope>-<date>.csv` */
export function csvFilename(scope: string): string {
  return `audit-${scope}-${new Date().toISOString().slice(0, 10)}.csv`;
}
