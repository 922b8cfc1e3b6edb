import type { Knex } from 'knex';
import { sqlBuilder } from '../../core/db/sql-builder';
import { withBoundLimit } from '../../core/db/sql-limit';
import { COUNT_CAP, countUpTo, pageCount } from '../../core/db/capped-count';
import type { PlatformDatabase } from '../db/platform-database';
import type { SqlValue } from '../../core/db/sqlite-handle';
import type { AuditFilter } from './audit-filter';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditEventRow {
  id: number;
  created_at: number;
  tenant_id: string | null;
  tenant_slug: string | null;
  actor_user_id: string | null;
  actor_email: string | null;
  /** Set while a super admin acted as the actor (impersonation): who really did it. */
  real_actor_user_id: string | null;
  real_actor_email: string | null;
  /** The API token the request came with, and how lists name it. */
  api_token_id: string | null;
  api_token_name: string | null;
  api_token_hint: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: string | null;
  after: string | null;
  ip: string | null;
  user_agent: string | null;
}

/** Whose events: one tenant's (its trail), or every tenant's and the platform's (super admins). */
export type AuditScope = { tenantId: string } | { allTenants: true };

/**
 * The filtered events, built with knex so it runs on PostgreSQL too; (tenant_id, created_at) is indexed.
 * A count joins only what a filter needs: each join matches one row at most (by primary key), so
 * it changes no count, and on a trail of 200,000 events it makes the count ten times slower.
 */
function filtered(scope: AuditScope, filter: AuditFilter, counting = false): Knex.QueryBuilder {
  const query = joined(scope, counting, Boolean(filter.actor));
  if ('tenantId' in scope) query.where('e.tenant_id', scope.tenantId);
  if (filter.action) query.where('e.action', filter.action);
  if (filter.actor) query.where('u.email', filter.actor);
  const { fromMs, toMs } = filter;
  if (fromMs !== undefined) query.where('e.created_at', '>=', fromMs);
  if (toMs !== undefined) query.where('e.created_at', '<', toMs);
  return query;
}

/** The events with the actors and tokens a list names (or, counting, only the actors a filter on them needs). */
function joined(scope: AuditScope, counting = false, byActor = false): Knex.QueryBuilder {
  const query = sqlBuilder('audit_events as e');
  if (!counting || byActor) query.leftJoin(actorsVisibleIn(scope), 'u.id', 'e.actor_user_id');
  if (!counting)
    query.leftJoin('api_tokens as k', (on) => {
      on.on('k.id', '=', 'e.api_token_id');
      // Like actors: a tenant's trail names its own tokens and its visible members' tokens, never an outsider's.
      if ('tenantId' in scope) on.andOn((mine) => mine.on('k.tenant_id', '=', sqlBuilder.raw('?', [scope.tenantId])).orOn('k.user_id', '=', 'u.id'));
    });
  return query;
}

/**
 * Whose names a trail shows. Super admins see everyone. A tenant's trail names its own members
 * (past ones too) and the platform's super admins; anyone else (a member of another tenant who
 * probed this one's URLs) appears without email or id, so a trail never tells one client who
 * another client's users are.
 */
function actorsVisibleIn(scope: AuditScope): Knex.AliasDict | Knex.QueryBuilder | string {
  if (!('tenantId' in scope)) return 'users as u';
  return sqlBuilder
    .select('id', 'email')
    .from('users')
    .where('is_super_admin', 1)
    .orWhereIn('id', sqlBuilder.select('user_id').from('memberships').where('tenant_id', scope.tenantId))
    .as('u');
}

const NEWEST_FIRST = [
  { column: 'e.created_at', order: 'desc' },
  { column: 'e.id', order: 'desc' },
];

function selectRows(query: Knex.QueryBuilder): Knex.QueryBuilder {
  return joinNames(query).orderBy(NEWEST_FIRST);
}

/** The names a list shows beside each event: its tenant's slug, the real actor's address (the actor's and token's are joined already). */
function joinNames(query: Knex.QueryBuilder): Knex.QueryBuilder {
  return query
    .leftJoin('tenants as t', 't.id', 'e.tenant_id')
    .leftJoin('users as ru', 'ru.id', 'e.real_actor_user_id')
    .select(
      'e.id',
      'e.created_at',
      'e.tenant_id',
      't.slug as tenant_slug',
      'u.id as actor_user_id',
      'u.email as actor_email',
      'e.real_actor_user_id',
      'ru.email as real_actor_email',
      'k.id as api_token_id',
      'k.name as api_token_name',
      'k.hint as api_token_hint',
      'e.action',
      'e.target_type',
      'e.target_id',
      'e.before',
      'e.after',
      'e.ip',
      'e.user_agent',
    );
}

export interface AuditPage {
  events: AuditEventRow[];
  /** How many events match, up to the count's cap; `more` when there are more than that. */
  total: number;
  more: boolean;
  page: number;
  /** Undefined when the count stopped at its cap. */
  pages: number | undefined;
  hasNext: boolean;
}

/** One page of events, newest first (past the last, the last), with their count up to `cap` (core/db/capped-count.ts). */
export function auditPage(db: PlatformDatabase, scope: AuditScope, filter: AuditFilter, pageSize = AUDIT_PAGE_SIZE, cap = COUNT_CAP): AuditPage {
  const unfiltered = !('tenantId' in scope) && !filter.action && !filter.actor && filter.fromMs === undefined && filter.toMs === undefined;
  const total = countUpTo(db, filtered(scope, filter, true), cap, unfiltered);
  const pages = pageCount(total, pageSize);
  // A page past the last (a link kept from before events aged out) shows the last one, as the tenant list does.
  const page = pages === undefined ? filter.page : Math.min(filter.page, pages);
  // Past the cap the last page is not known: one row more than a page tells whether another follows.
  const rows = pageRows(db, scope, filter, pages === undefined ? pageSize + 1 : pageSize, (page - 1) * pageSize);
  const hasNext = pages === undefined ? rows.length > pageSize : page < pages;
  return { events: rows.slice(0, pageSize), total: total.count, more: total.more, page, pages, hasNext };
}

/**
 * A page of events: which ones is chosen from the events alone (what a count reads: an index covers
 * it), and only those are joined to the names they show. Joined first, every row an offset skipped
 * was joined too: page 300 of a trail of 20,000 events took 60-80 ms, against 2 ms so. The page's
 * few rows are put newest first here, where the SQL would sort them in a temporary B-tree.
 */
function pageRows(db: PlatformDatabase, scope: AuditScope, filter: AuditFilter, limit: number, offset: number): AuditEventRow[] {
  const page = withBoundLimit(filtered(scope, filter, true).select('e.id').orderBy(NEWEST_FIRST), limit, offset);
  const { sql, bindings } = joinNames(joined(scope))
    .whereRaw(`e.id in (${page.sql})`, page.bindings as Knex.RawBinding[])
    .toSQL()
    .toNative();
  return db.all<AuditEventRow>(sql, bindings as SqlValue[]).sort((a, b) => b.created_at - a.created_at || b.id - a.id);
}

/**
 * Every matching event, newest first, in batches (keyset paging: no offset scans for big exports).
 * The next batch starts after the last row by a row-value comparison, which the (created_at)
 * index (platform migration 0032) answers as one range, where an OR of two conditions did not.
 */
export function* auditBatches(db: PlatformDatabase, scope: AuditScope, filter: AuditFilter, batchSize = 1000): Generator<AuditEventRow[]> {
  let last: AuditEventRow | undefined;
  for (;;) {
    const query = selectRows(filtered(scope, filter));
    if (last) {
      const { created_at: at, id } = last;
      query.whereRaw('(e.created_at, e.id) < (?, ?)', [at, id]);
    }
    const { sql, bindings } = withBoundLimit(query, batchSize);
    const rows = db.all<AuditEventRow>(sql, bindings);
    if (rows.length) yield rows;
    if (rows.length < batchSize) return;
    last = rows[rows.length - 1];
  }
}

/** The actions present in a scope, for the filter's suggestions. */
export function auditActions(db: PlatformDatabase, scope: AuditScope): string[] {
  // One index seek per action (the next one after the last found), not a read of every event's
  // index entry: `select distinct` went through the whole trail (40-50 ms at 500,000 events) on
  // each view of the platform's page. (Plain SQL, which PostgreSQL runs too.)
  const tenant = 'tenantId' in scope;
  const rows = db.all<{ action: string }>(
    `with recursive actions(action) as (
       select min(action) from audit_events ${tenant ? 'where tenant_id = ?' : ''}
       union all
       select (select min(e.action) from audit_events e where ${tenant ? 'e.tenant_id = ? and' : ''} e.action > actions.action)
         from actions where actions.action is not null
     )
     select action from actions where action is not null order by action`,
    tenant ? [scope.tenantId, scope.tenantId] : [],
  );
  return rows.map((r) => r.action);
}
