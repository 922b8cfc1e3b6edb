import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';

/** A demo member as the content seeder sees them: who, in which role, allowed to do what. */
export interface DemoMember {
  id: string;
  name: string;
  roleKey: string;
  permissions: ReadonlySet<Permission>;
}

export interface SeededContent {
  items: number;
  comments: number;
  /** The earliest scheduled publishing time, for the scheduler's hint (null: nothing scheduled). */
  nextDueAt: number | null;
}

/**
 * Fills a fresh demo tenant's own database with sample content, acting as its members. The
 * workspace provides it (workspace/demo/demo-content.ts); app/ wires it: the control plane never
 * imports the workspace.
 */
export type DemoContentSeeder = (db: TenantDatabase, members: DemoMember[]) => SeededContent;
