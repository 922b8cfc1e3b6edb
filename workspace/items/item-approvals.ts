import type { TenantDatabase } from '../../tenant-runtime/tenant-database';

/** Approvals count for one revision of an item: an edit bumps the revision, so earlier ones stop counting. */
export class ItemApprovals {
  constructor(private readonly db: TenantDatabase) {}

  add(itemId: number, revision: number, approverId: string): void {
    this.db.run('insert into item_approvals (item_id, revision, approver_id, created_at) values (?, ?, ?, ?) on conflict do nothing', [
      itemId,
      revision,
      approverId,
      Date.now(),
    ]);
  }

  approvers(itemId: number, revision: number): string[] {
    return this.db
      .all<{ approver_id: string }>('select approver_id from item_approvals where item_id = ? and revision = ? order by created_at', [itemId, revision])
      .map((r) => r.approver_id);
  }

  clear(itemId: number, revision: number): void {
    this.db.run('delete from item_approvals where item_id = ? and revision = ?', [itemId, revision]);
  }
}
