import type { PlatformDatabase } from '../db/platform-database';
import type { ChangeFeed } from '../change-feed';
import type { TenantRecord, TenantStatus } from './tenant-record';

export interface TenantListRow extends TenantRecord {
  member_count: number;
}

type TenantChanges = Partial<Pick<TenantRecord, 'status' | 'schema_version' | 'failure_reason' | 'name'>>;

export class TenantRepository {
  constructor(
    private readonly db: PlatformDatabase,
    private readonly changes: ChangeFeed,
  ) {}

  findById(id: string): TenantRecord | undefined {
    return this.db.get<TenantRecord>('select * from tenants where id = ?', [id]);
  }

  findBySlug(slug: string): TenantRecord | undefined {
    return this.db.get<TenantRecord>('select * from tenants where slug = ?', [slug]);
  }

  listNotActive(): Array<Pick<TenantRecord, 'id' | 'slug' | 'status'>> {
    return this.db.all("select id, slug, status from tenants where status <> 'active'");
  }

  list(): TenantListRow[] {
    return this.db.all<TenantListRow>(
      `select t.*, (select count(*) from memberships m where m.tenant_id = t.id and m.status = 'active') as member_count
         from tenants t order by t.slug`,
    );
  }

  listByStatus(statuses: TenantStatus[]): TenantRecord[] {
    if (!statuses.length) return [];
    return this.db.all<TenantRecord>(`select * from tenants where status in (${statuses.map(() => '?').join(', ')}) order by slug`, statuses);
  }

  insert(row: Pick<TenantRecord, 'id' | 'slug' | 'name' | 'status'>): void {
    const now = Date.now();
    this.db.run("insert into tenants (id, slug, name, status, placement, created_at, updated_at) values (?, ?, ?, ?, 'local', ?, ?)", [
      row.id,
      row.slug,
      row.name,
      row.status,
      now,
      now,
    ]);
    this.changes.tenantChanged(row.slug);
  }

  /** The display name the workspace's admins chose (null: the super admin's name stands). */
  setDisplayName(id: string, displayName: string | null): void {
    const tenant = this.findById(id);
    if (!tenant || tenant.display_name === displayName) return;
    this.db.run('update tenants set display_name = ?, updated_at = ? where id = ?', [displayName, Date.now(), id]);
    this.changes.tenantChanged(tenant.slug);
  }

  /** The tenant file's migration version, as the fleet migration found it. */
  setSchemaVersion(id: string, version: string | null): void {
    this.db.run('update tenants set schema_version = ?, updated_at = ? where id = ?', [version, Date.now(), id]);
  }

  update(id: string, changes: TenantChanges): void {
    const columns = Object.keys(changes) as Array<keyof TenantChanges>;
    if (!columns.length) return;
    const before = this.findById(id);
    this.db.run(`update tenants set ${columns.map((c) => `${c} = ?`).join(', ')}, updated_at = ? where id = ?`, [
      ...columns.map((c) => changes[c] ?? null),
      Date.now(),
      id,
    ]);
    this.changes.tenantChanged(before?.slug);
  }
}
