import { tenantPlanSection } from './plans-page';
import fs from 'node:fs';
import { z } from 'zod';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import type { ControlPlane } from '../control-plane';
import { TenantStatusHistory } from '../lifecycle/tenant-status-history';
import { operatorActionsFrom } from '../lifecycle/tenant-transitions';
import { tenantSizes } from '../tenants/tenant-disk-usage';
import type { TenantRecord } from '../tenants/tenant-record';
import { memberCursor, parseMemberCursor } from '../memberships/member-position';
import { invitationCursor, parseInvitationCursor } from '../invitations/invitation-position';
import { pagePosition } from '../../core/http/page-query';
import { DeletionRequestRepository } from '../deletion-requests/deletion-request-repository';

/** How many members, and how many pending invitations, the page lists at once; the rest are a link away. */
export const TENANT_DETAIL_PAGE_SIZE = 50;

/**
 * Where each list starts: `?members_after=` and `?invitations_after=` from their Next links (a bad
 * value shows that list's first page). Each link keeps the other list where it is.
 */
const pageSchema = z.object({ members_after: pagePosition(parseMemberCursor), invitations_after: pagePosition(parseInvitationCursor) });
type PagePositions = z.infer<typeof pageSchema>;
/** Each list's cursor, as the page's links carry it. */
type PageCursors = Record<keyof PagePositions, string | undefined>;

/** The address of the page with these list positions (those undefined start at the first). */
function pageHref(base: string, cursors: PageCursors, anchor: string): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(cursors)) if (value !== undefined) query.set(key, value);
  const text = query.toString();
  return `${base}${text ? `?${text}` : ''}#${anchor}`;
}

/** A backup as the tenant page lists it (backups are made elsewhere; the page only shows them). */
export interface BackupSummary {
  id: string;
  createdAt: number;
  bytes: number;
  kind?: string;
  note?: string;
}

/** Optional parts of the tenant page that other features provide. */
export interface TenantDetailSources {
  /** The tenant's backups, newest first; without it the page says there are none yet. */
  backupsOf?: (tenantId: string) => BackupSummary[];
}

interface FleetRunRow {
  run_id: number;
  outcome: string;
  from_version: string | null;
  to_version: string | null;
  error: string | null;
  finished_at: number;
  run_status: string;
  target_version: string | null;
}

/** When a file last changed, or 0 when it is gone or out of this process's reach (a folder it may not enter). */
function modifiedAt(file: string): number {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  } catch {
    return 0;
  }
}

/** The last time something wrote to the tenant's database (its file or its WAL), from the file system. */
function lastWrite(file: string): number | null {
  const times = [file, `${file}-wal`].map(modifiedAt);
  const latest = Math.max(...times);
  return latest > 0 ? Math.round(latest) : null;
}

/** A page of the tenant's members and one of its pending invitations, each with links to its next page and back to its first. */
function teamLists(platform: ControlPlane, tenant: TenantRecord, positions: PagePositions) {
  const size = TENANT_DETAIL_PAGE_SIZE;
  const base = `/admin/tenants/${encodeURIComponent(tenant.slug)}`;
  const cursors: PageCursors = { members_after: positions.members_after?.cursor, invitations_after: positions.invitations_after?.cursor };
  const memberAfter = positions.members_after?.position;
  const memberRows = platform.memberships.pageOfMembers(tenant.id, size + 1, { after: memberAfter });
  const members = memberRows.slice(0, size);
  const invitationAfter = positions.invitations_after?.position;
  const now = Date.now();
  const invitationRows = platform.invitations.pageForTenant(tenant.id, size + 1, { after: invitationAfter, pendingOnly: true, now });
  const invitations = invitationRows.slice(0, size);
  const membersNext = memberRows.length > size ? memberCursor(members[members.length - 1]) : undefined;
  const invitationsNext = invitationRows.length > size ? invitationCursor(invitations[invitations.length - 1]) : undefined;
  return {
    members,
    memberCount: platform.memberships.countActive(tenant.id),
    membersPager: {
      next: membersNext && pageHref(base, { ...cursors, members_after: membersNext }, 'members'),
      first: memberAfter ? pageHref(base, { ...cursors, members_after: undefined }, 'members') : undefined,
    },
    invitations,
    invitationCount: platform.invitations.countPending(tenant.id, now),
    invitationsPager: {
      next: invitationsNext && pageHref(base, { ...cursors, invitations_after: invitationsNext }, 'invitations'),
      first: invitationAfter ? pageHref(base, { ...cursors, invitations_after: undefined }, 'invitations') : undefined,
    },
  };
}

const NO_TEAM_LISTS = {
  members: [],
  memberCount: 0,
  membersPager: {},
  invitations: [],
  invitationCount: 0,
  invitationsPager: {},
};

/**
 * Everything the super admin's page of one tenant shows; views never query. Its members and
 * pending invitations are listed a page at a time (`query` holds where each list starts).
 */
export function loadTenantDetailPage(platform: ControlPlane, tenant: TenantRecord, sources: TenantDetailSources = {}, query: Record<string, unknown> = {}) {
  const { db, config } = platform;
  const location = tenant.status === 'archived' ? 'archive' : 'live';
  const live = tenant.status !== 'purged';
  const fleetRuns = db.all<FleetRunRow>(
    `select r.run_id, r.outcome, r.from_version, r.to_version, r.error, r.finished_at, f.status as run_status, f.target_version
       from fleet_run_tenants r join fleet_runs f on f.id = r.run_id where r.tenant_id = ? order by r.finished_at desc limit 20`,
    [tenant.id],
  );
  const audit = db.all<{
    id: number;
    created_at: number;
    action: string;
    actor_email: string | null;
    target_type: string | null;
    target_id: string | null;
    after: string | null;
  }>(
    `select e.id, e.created_at, e.action, u.email as actor_email, e.target_type, e.target_id, e.after
       from audit_events e left join users u on u.id = e.actor_user_id where e.tenant_id = ? order by e.created_at desc, e.id desc limit 20`,
    [tenant.id],
  );
  const lastAudit = db.get<{ at: number | null }>('select max(created_at) as at from audit_events where tenant_id = ?', [tenant.id])?.at ?? null;
  const changedBy = tenant.status_changed_by ? platform.users.findById(tenant.status_changed_by) : undefined;
  const creator = tenant.created_by ? platform.users.findById(tenant.created_by) : undefined;
  return {
    title: tenant.name,
    tenant,
    planSection: live ? tenantPlanSection(platform, tenant) : null,
    changedBy: changedBy?.email ?? (tenant.status_changed_by ? tenant.status_changed_by : null),
    createdBy: creator?.email ?? tenant.created_by,
    actions: operatorActionsFrom(tenant.status),
    history: new TenantStatusHistory(db).list(tenant.id),
    schema: { version: tenant.schema_version, latest: platform.tenantSource.latest, behind: tenant.schema_version !== platform.tenantSource.latest },
    fleetRuns,
    sizes: live ? tenantSizes(config.dataDir, tenant.id, location) : null,
    location: live ? tenantPaths(config.dataDir, tenant.id, location).dir : null,
    ...(live ? teamLists(platform, tenant, pageSchema.parse(query)) : NO_TEAM_LISTS),
    lastActivity: { audit: lastAudit, write: live ? lastWrite(tenantPaths(config.dataDir, tenant.id, location).database) : null },
    audit,
    backups: sources.backupsOf ? sources.backupsOf(tenant.id) : null,
    /** The workspace's pending request to be deleted: archive it through the lifecycle, or decline it. */
    deletionRequest: live ? (new DeletionRequestRepository(db).find(tenant.id) ?? null) : null,
    canAddOwner: ['active', 'suspended', 'damaged'].includes(tenant.status),
    retentionDays: config.archiveRetentionDays,
  };
}
