import type { Request } from 'express';
import type { ControlPlane } from '../control-plane';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { membershipsOfUser, tenantsOwnedAlone, userFilterSchema, userPage, USER_ID_PATTERN, USERS_PAGE_SIZE, type UserFilter } from '../users/user-directory';
import type { UserRecord } from '../users/user-record';
import type { ActiveSessionRow } from '../auth/session-repository';
import { queryNotice } from '../../core/http/query-notice';
import { TwoStepRepository } from '../two-step/two-step-repository';

/** What a redirect back to a user's page may announce (the query names a key, never free text). */
export const USER_NOTICES: Record<string, string> = {
  disabled: 'The account was disabled and its sessions were ended.',
  enabled: 'The account was enabled.',
  'signed-out': 'Every session of the account was ended.',
  'impersonation-stopped': 'You stopped impersonating this user.',
  'impersonation-expired': 'Your impersonation of this user ended: its time was up.',
  'impersonation-target-unavailable': 'Your impersonation ended: the account can no longer be impersonated.',
  deleted: 'The account was deleted.',
  'two-step-reset': 'Two-step sign-in was turned off for the account; the person was told by mail.',
  'two-step-reset-unmailed': 'Two-step sign-in was turned off for the account. The mail telling the person could not be sent: tell them yourself.',
};

export function noticeOf(req: Request): string | undefined {
  return queryNotice(USER_NOTICES, req.query.done);
}

function pageHref(filter: UserFilter, page: number): string {
  const params = new URLSearchParams();
  if (filter.q) params.set('q', filter.q);
  if (filter.status) params.set('status', filter.status);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return `/admin/users${query ? `?${query}` : ''}`;
}

/** What was typed in the search form, to show it again (also when it was refused). */
function typed(req: Request): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of ['q', 'status']) if (typeof req.query[key] === 'string') values[key] = String(req.query[key]).slice(0, 320);
  return values;
}

/** `/admin/users`: the search form, one page of users, the pager; empty while the filter is refused. */
export function loadUsersPage(platform: ControlPlane, req: Request, filter?: UserFilter) {
  // A page past the last (a link kept while users were deleted) shows the last one, as the tenant list does.
  const result = filter ? userPage(platform.db, filter, USERS_PAGE_SIZE, { pastEnd: 'last' }) : undefined;
  const page = result?.page ?? 1;
  const pages = result?.pages ?? 1;
  return {
    title: 'Users',
    filters: typed(req),
    users: result?.users ?? [],
    total: result?.total ?? 0,
    page,
    pages,
    prevHref: filter && page > 1 ? pageHref(filter, page - 1) : undefined,
    nextHref: filter && page < pages ? pageHref(filter, page + 1) : undefined,
    notice: noticeOf(req),
  };
}

export function parseUserFilter(req: Request): UserFilter {
  return parseInput(userFilterSchema, req.query);
}

/** A user by the id in the URL; anything else (malformed, unknown) is the same 404. */
export function userFromParam(platform: ControlPlane, id: unknown): UserRecord {
  const user = typeof id === 'string' && USER_ID_PATTERN.test(id) ? platform.users.findById(id) : undefined;
  if (!user) throw new NotFoundError('No such user.');
  return user;
}

/** `/admin/users/<id>`: the account, its memberships, its sessions, and what the super admin may do to it. */
export function loadUserPage(platform: ControlPlane, sessions: { listForUser(userId: string): ActiveSessionRow[] }, req: Request, user: UserRecord) {
  const self = req.user?.id === user.id;
  return {
    title: user.name,
    subject: user,
    self,
    memberships: membershipsOfUser(platform.db, user.id),
    // Workspaces disabling the account would leave without an active owner: the disable form asks to confirm it.
    ownedAlone: user.status === 'active' && !self ? tenantsOwnedAlone(platform.db, user.id) : [],
    sessionCount: sessions.listForUser(user.id).length,
    twoStepOn: new TwoStepRepository(platform.db).isOn(user.id),
    mayImpersonate: !self && !user.is_super_admin && user.status === 'active',
    impersonationMinutes: platform.config.impersonationMinutes,
    notice: noticeOf(req),
  };
}
