import type { PlatformDatabase } from '../db/platform-database';
import { RAISED_UPDATED_AT } from '../../core/db/raised-updated-at';
import type { ChangeFeed } from '../change-feed';
import type { SettingsCopy, TenantRecord, TenantStatus } from './tenant-record';
import { TENANT_ID_PATTERN } from '../../tenant-runtime/tenant-paths';

export interface TenantListRow extends TenantRecord {
  member_count: number;
  /** The email of the user who created it, while that user exists. */
  creator_email: string | null;
}

type TenantChanges = Partial<
  Pick<
    TenantRecord,
    | 'status'
    | 'schema_version'
    | 'failure_reason'
    | 'name'
    | 'slug'
    | 'status_reason'
    | 'status_until'
    | 'status_changed_at'
    | 'status_changed_by'
    | 'pending_operation'
    | 'pending_owner_email'
  >
>;

/** A tenant row as provisioning first writes it. */
export type NewTenantRow = Pick<TenantRecord, 'id' | 'slug' | 'name' | 'status'> & {
  pending_owner_email?: string | null;
  created_by?: string | null;
  self_service?: boolean;
};

/**
 * The tenants table. A purged tenant's row stays as a tombstone and no longer holds its slug:
 * look-ups by slug see live (not purged) tenants only.
 */
export class TenantRepository {
  constructor(
    private readonly db: PlatformDatabase,
    private readonly changes: ChangeFeed,
  ) {}

  findById(id: string): TenantRecord | undefined {
    return this.db.get<TenantRecord>('select * from tenants where id = ?', [id]);
  }

  /** A tenant's status alone, and a whole row costs three times as much to read. */
  statusOf(id: string): TenantStatus | undefined {
    return this.db.get<Pick<TenantRecord, 'status'>>('select status from tenants where id = ?', [id])?.status;
  }

  /** What the router's opener asks on every miss, in one read: where the file is (the status) and whether its settings' copies are known here (the language). */
  openingFacts(id: string): Pick<TenantRecord, 'status' | 'language'> | undefined {
    return this.db.get<Pick<TenantRecord, 'status' | 'language'>>('select status, language from tenants where id = ?', [id]);
  }

  /** The tenant holding the slug now (tombstones of purged tenants do not). */
  findBySlug(slug: string): TenantRecord | undefined {
    return this.db.get<TenantRecord>("select * from tenants where slug = ? and status <> 'purged'", [slug]);
  }

  /** The tenant an address names: the one holding the slug now, else the one with that id (which also reaches a tombstone). */
  findBySlugOrId(slugOrId: string): TenantRecord | undefined {
    return this.findBySlug(slugOrId) ?? (TENANT_ID_PATTERN.test(slugOrId) ? this.findById(slugOrId) : undefined);
  }

  /** The tombstones of purged tenants that held the slug, the last purged first (their backups stay in BACKUP_DIR). */
  purgedWithSlug(slug: string): TenantRecord[] {
    return this.db.all<TenantRecord>("select * from tenants where slug = ? and status = 'purged' order by status_changed_at desc, id", [slug]);
  }

  /** Which of these tenants are active (one statement whatever their number: the ids go as one JSON array). */
  activeAmong(ids: readonly string[]): Set<string> {
    if (!ids.length) return new Set();
    const rows = this.db.all<{ id: string }>("select id from tenants where status = 'active' and id in (select value from json_each(?))", [
      JSON.stringify(ids),
    ]);
    return new Set(rows.map((row) => row.id));
  }

  /** Every tenant but the tombstones (or those of one status, tombstones included), with its member count (the CLI's list). */
  list(status?: TenantStatus): TenantListRow[] {
    return this.db.all<TenantListRow>(
      `select t.*, (select count(*) from memberships m where m.tenant_id = t.id and m.status = 'active') as member_count
         from tenants t where ${status ? 't.status = ?' : "t.status <> 'purged'"} order by t.slug, t.created_at`,
      status ? [status] : [],
    );
  }

  listByStatus(statuses: TenantStatus[]): TenantRecord[] {
    if (!statuses.length) return [];
    return this.db.all<TenantRecord>(`select * from tenants where status in (${statuses.map(() => '?').join(', ')}) order by slug`, statuses);
  }

  countByStatus(): Record<string, number> {
    const rows = this.db.all<{ status: string; n: number }>('select status, count(*) as n from tenants group by status');
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** Tenants whose status has an end date that has come (a suspension to lift, an archive to purge). */
  listDue(status: TenantStatus, now: number): TenantRecord[] {
    return this.db.all<TenantRecord>('select * from tenants where status = ? and status_until is not null and status_until <= ? order by status_until', [
      status,
      now,
    ]);
  }

  /**
   * Live tenants whose first owner's invitation was made when they became active and has not been
   * mailed yet (`pending_owner_email` on a row past provisioning): a process stopped between the two.
   * Not one in maintenance (its file is being restored): it is mailed once it is back.
   */
  listOwingOwnerMail(): TenantRecord[] {
    return this.db.all<TenantRecord>(
      "select * from tenants where pending_owner_email is not null and status in ('active', 'suspended', 'damaged') order by slug",
    );
  }

  /**
   * The first owner's invitation to `email` is mailed (or its link was shown, or an operator gave
   * the tenant that owner again): nothing is owed any more. A row still provisioning (or failed,
   * to be retried) keeps its intended owner. The column is read by no cache, so no change is announced.
   */
  settleOwnerMail(id: string, email: string): void {
    this.db.run(
      `update tenants set pending_owner_email = null, updated_at = ${RAISED_UPDATED_AT} where id = ? and pending_owner_email = ? and status not in ('provisioning', 'failed')`,
      [Date.now(), id, email],
    );
  }

  /** Tenants with a file operation recorded and not finished (cut off by a crash, or running now). */
  listPendingOperations(): TenantRecord[] {
    return this.db.all<TenantRecord>('select * from tenants where pending_operation is not null order by id');
  }

  insert(row: NewTenantRow): void {
    const now = Date.now();
    this.db.run(
      // A new tenant starts on the default plan.
      `insert into tenants (id, slug, name, status, placement, pending_owner_email, created_by, self_service, status_changed_at, created_at, updated_at, plan_id)
         values (?, ?, ?, ?, 'local', ?, ?, ?, ?, ?, ?, (select id from plans where is_default = 1))`,
      [row.id, row.slug, row.name, row.status, row.pending_owner_email ?? null, row.created_by ?? null, row.self_service ? 1 : 0, now, now, now],
    );
    this.changes.tenantChanged(row.slug);
  }

  /**
   * Live workspaces a user owns (the predefined owner role), counting one they asked for that is
   * still being made: what a per-user limit on workspaces owned is checked against.
   */
  countOwnedBy(userId: string): number {
    const row = this.db.get<{ n: number }>(
      `select count(*) as n from tenants t
        where t.status not in ('archived', 'purged', 'failed')
          and ((t.status = 'provisioning' and t.created_by = ?)
            or exists (select 1 from memberships m join roles r on r.id = m.role_id
                        where m.tenant_id = t.id and m.user_id = ? and m.status = 'active' and r.tenant_id is null and r.key = 'owner'))`,
      [userId, userId],
    );
    return row?.n ?? 0;
  }

  /**
   * The copies of two settings the workspace keeps in its own file (settings-copies.ts): its display
   * name and its language, written together. null forgets both (a change to them being saved, a file
   * just replaced): the language reads as unknown, the display name as none (the super admin's name
   * stands) until the router's next open reads them from the file. A copy is no change of the row
   * by an operator: `updated_at`, the revision of the console's plan form, stays.
   */
  keepSettingsCopies(id: string, copies: SettingsCopy | null): void {
    const tenant = this.findById(id);
    const [displayName, language] = copies ? [copies.displayName, copies.language] : [null, null];
    if (!tenant || (tenant.display_name === displayName && tenant.language === language)) return;
    this.db.run('update tenants set display_name = ?, language = ? where id = ?', [displayName, language, id]);
    this.changes.tenantChanged(tenant.slug);
  }

  /** The tenant file's migration version, as the fleet migration found it. */
  setSchemaVersion(id: string, version: string | null): void {
    this.db.run(`update tenants set schema_version = ?, updated_at = ${RAISED_UPDATED_AT} where id = ?`, [version, Date.now(), id]);
  }

  update(id: string, changes: TenantChanges): void {
    const columns = Object.keys(changes) as Array<keyof TenantChanges>;
    if (!columns.length) return;
    const before = this.findById(id);
    this.db.run(`update tenants set ${columns.map((c) => `${c} = ?`).join(', ')}, updated_at = ${RAISED_UPDATED_AT} where id = ?`, [
      ...columns.map((c) => changes[c] ?? null),
      Date.now(),
      id,
    ]);
    this.changes.tenantChanged(before?.slug);
    // A new slug was cached as naming no tenant (someone asked for it before the rename): told too.
    if (changes.slug && changes.slug !== before?.slug) this.changes.tenantChanged(changes.slug);
  }
}
