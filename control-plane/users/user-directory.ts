import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import { sqlBuilder } from '../../core/db/sql-builder';
import { withBoundLimit } from '../../core/db/sql-limit';
import { searchCondition } from '../../core/db/search-fold';
import type { PlatformDatabase } from '../db/platform-database';

export const USERS_PAGE_SIZE = 50;
export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Filter forms send every field; an empty one means "any". */
const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** The super admin's user list: search by email or name, status, page (query string of `/admin/users`). */
export const userFilterSchema = z.object({
  q: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .max(320, { error: msg('must be at most 320 characters') })
      .optional(),
  ),
  status: z.preprocess(blank, z.enum(USER_STATUSES, { error: msg('must be active or disabled') }).optional()),
  page: z.preprocess(
    blank,
    z.coerce
      .number({ error: msg('must be a page number') })
      .int({ error: msg('must be a page number') })
      .min(1, { error: msg('must be a page number') })
      .max(1_000_000, { error: msg('is too large') })
      .default(1),
  ),
});
export type UserFilter = z.infer<typeof userFilterSchema>;

export interface UserListRow {
  id: string;
  email: string;
  name: string;
  is_super_admin: number;
  status: string;
  created_at: number;
  memberships: number;
  last_seen_at: number | null;
}

export interface UserMembershipRow {
  tenant_id: string;
  slug: string;
  tenant_name: string;
  tenant_status: string;
  role_key: string;
  role_name: string;
  since: number;
}

function filteredUsers(filter: Pick<UserFilter, 'q' | 'status'>) {
  const query = sqlBuilder('users as u');
  if (filter.q) {
    // `%` and `_` typed in the search box are matched literally.
    const [email, name] = [searchCondition('u.email', filter.q), searchCondition('u.name', filter.q)];
    query.where((w) => w.whereRaw(email.sql, email.bindings).orWhereRaw(name.sql, name.bindings));
  }
  if (filter.status) query.where('u.status', filter.status);
  return query;
}

function listedUsers(filter: Pick<UserFilter, 'q' | 'status'>) {
  return filteredUsers(filter)
    .select(
      'u.id',
      'u.email',
      'u.name',
      'u.is_super_admin',
      'u.status',
      'u.created_at',
      sqlBuilder.raw("(select count(*) from memberships m where m.user_id = u.id and m.status = 'active') as memberships"),
      sqlBuilder.raw('(select max(s.last_seen_at) from sessions s where s.user_id = u.id) as last_seen_at'),
    )
    .orderBy('u.email');
}

/**
 * One page of users, by email; built with knex so it runs on PostgreSQL too. A page past the last
 * is empty (the API and the CLI say so), or with `pastEnd: 'last'` the last page (the console's
 * list, whose pager leads back from there).
 */
export function userPage(db: PlatformDatabase, filter: UserFilter, pageSize = USERS_PAGE_SIZE, options: { pastEnd?: 'empty' | 'last' } = {}) {
  const total = Number(db.getOf<{ n: number }>(filteredUsers(filter).count({ n: '*' }))?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = options.pastEnd === 'last' ? Math.min(filter.page, pages) : filter.page;
  const { sql, bindings } = withBoundLimit(listedUsers(filter), pageSize, (page - 1) * pageSize);
  const users = db.all<UserListRow>(sql, bindings);
  return { users, total, page, pages };
}

/** Every user the filter matches, by email, read at once (the console's complete list). */
export function everyUser(db: PlatformDatabase, filter: Pick<UserFilter, 'q' | 'status'>): UserListRow[] {
  return db.allOf<UserListRow>(listedUsers(filter));
}

/** The user's active memberships with each tenant and role, by tenant name. */
export function membershipsOfUser(db: PlatformDatabase, userId: string): UserMembershipRow[] {
  return db.all<UserMembershipRow>(
    `select t.id as tenant_id, t.slug, t.name as tenant_name, t.status as tenant_status, r.key as role_key, r.name as role_name, m.created_at as since
       from memberships m join tenants t on t.id = m.tenant_id join roles r on r.id = m.role_id
      where m.user_id = ? and m.status = 'active'
      order by t.name`,
    [userId],
  );
}

/**
 * Tenants the user owns with no other owner whose account is active (a tombstone of a purged
 * tenant needs none): without the user they would keep no owner who can act, as
 * MembershipRepository.countActiveOwners counts them (a disabled account's owner role manages nothing).
 */
export function tenantsOwnedAlone(db: PlatformDatabase, userId: string): Array<{ id: string; slug: string; name: string }> {
  return db.all(
    `select t.id, t.slug, t.name
       from memberships m join tenants t on t.id = m.tenant_id join roles r on r.id = m.role_id
      where m.user_id = ? and m.status = 'active' and r.tenant_id is null and r.key = 'owner' and t.status not in ('purged', 'failed')
        and not exists (
          select 1 from memberships o join roles ro on ro.id = o.role_id join users u on u.id = o.user_id
           where o.tenant_id = t.id and o.user_id <> m.user_id and o.status = 'active' and ro.tenant_id is null and ro.key = 'owner' and u.status = 'active')
      order by t.slug`,
    [userId],
  );
}

/** Active super admins other than the one given. */
export function otherActiveSuperAdmins(db: PlatformDatabase, userId: string): number {
  return db.get<{ n: number }>("select count(*) as n from users where is_super_admin = 1 and status = 'active' and id <> ?", [userId])?.n ?? 0;
}

export const USER_ID_PATTERN = /^u[0-9a-f]{24}$/;
