import type { PlatformDb } from '../db/open-platform-db';
import type { TenantRecord, TenantStatus } from './tenant-record';

export interface TenantListRow extends TenantRecord {
  member_count: number;
}

export class TenantRepository {
  constructor(private readonly db: PlatformDb) {}

  findById(id: string): TenantRecord | undefined {
    return this.db.prepare('select * from tenants where id = ?').get(id) as TenantRecord | undefined;
  }

  findBySlug(slug: string): TenantRecord | undefined {
    return this.db.prepare('select * from tenants where slug = ?').get(slug) as TenantRecord | undefined;
  }

  listNotActiveSync(): Array<Pick<TenantRecord, 'id' | 'slug'>> {
    return this.db.prepare("select id, slug from tenants where status <> 'active'").all() as Array<Pick<TenantRecord, 'id' | 'slug'>>;
  }

  async list(): Promise<TenantListRow[]> {
    return this.db
      .knex('tenants as t')
      .select('t.*')
      .select(this.db.knex.raw("(select count(*) from memberships m where m.tenant_id = t.id and m.status = 'active') as member_count"))
      .orderBy('t.slug');
  }

  async listByStatus(statuses: TenantStatus[]): Promise<TenantRecord[]> {
    return this.db.knex('tenants').whereIn('status', statuses).orderBy('slug');
  }

  async insert(row: Pick<TenantRecord, 'id' | 'slug' | 'name' | 'status'>): Promise<void> {
    const now = Date.now();
    await this.db.knex('tenants').insert({ ...row, placement: 'local', created_at: now, updated_at: now });
  }

  /** The tenant file's migration version, as the fleet migration found it (one prepared statement: called per tenant). */
  setSchemaVersion(id: string, version: string | null): void {
    this.db.prepare('update tenants set schema_version = ?, updated_at = ? where id = ?').run(version, Date.now(), id);
  }

  async update(id: string, changes: Partial<Pick<TenantRecord, 'status' | 'schema_version' | 'failure_reason' | 'name'>>): Promise<void> {
    await this.db.knex('tenants').where({ id }).update({ ...changes, updated_at: Date.now() });
  }
}
