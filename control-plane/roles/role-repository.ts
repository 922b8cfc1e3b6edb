import type { PlatformDb } from '../db/open-platform-db';
import { PREDEFINED_ROLE_PERMISSIONS } from './predefined-roles';

export interface RoleRecord {
  id: number;
  tenant_id: string | null;
  key: string;
  name: string;
  description: string;
  parent_role_id: number | null;
  is_predefined: number;
  rank: number;
  permissions: string;
}

export class RoleRepository {
  constructor(private readonly db: PlatformDb) {}

  findPredefined(key: string): RoleRecord | undefined {
    return this.db.raw.prepare('select * from roles where tenant_id is null and key = ?').get(key) as RoleRecord | undefined;
  }

  findById(id: number): RoleRecord | undefined {
    return this.db.raw.prepare('select * from roles where id = ?').get(id) as RoleRecord | undefined;
  }

  /** Roles a tenant can assign: the predefined ones and its own custom ones. */
  listForTenant(tenantId: string): RoleRecord[] {
    return this.db.raw
      .prepare('select * from roles where tenant_id is null or tenant_id = ? order by is_predefined desc, rank desc, name')
      .all(tenantId) as RoleRecord[];
  }

  /** Writes the code's permission lists onto the predefined rows (run at start-up). */
  async syncPredefined(): Promise<void> {
    for (const [key, permissions] of Object.entries(PREDEFINED_ROLE_PERMISSIONS)) {
      await this.db.knex('roles').whereNull('tenant_id').andWhere({ key }).update({ permissions: JSON.stringify(permissions) });
    }
  }
}
