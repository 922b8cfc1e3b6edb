import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { ItemRow } from '../items/item-repository';
import type { WorkflowRules } from '../workflow/workflow-rules';
import { limitClause } from '../../core/db/sql-limit';

export interface WaitingForMe {
  /** Items in review this member may approve and has not approved yet (current revision). */
  toReview: ItemRow[];
  /** This member's items sent back with changes requested. */
  toRework: ItemRow[];
}

/** What waits for this member's next move, oldest first; empty lists for what their role cannot do. */
export function waitingForMe(db: TenantDatabase, userId: string, rules: WorkflowRules, may: { approve: boolean; edit: boolean }, limit = 20): WaitingForMe {
  const toReview = may.approve
    ? db.all<ItemRow>(
        `select i.* from items i
          where i.status = 'in_review'
            and not exists (select 1 from item_approvals a where a.item_id = i.id and a.revision = i.revision and a.approver_id = ?)
            and (? = 1 or i.created_by is null or i.created_by <> ?)
          order by i.updated_at, i.id ${limitClause(limit)}`,
        [userId, rules.allowSelfApproval ? 1 : 0, userId],
      )
    : [];
  const toRework = may.edit
    ? db.all<ItemRow>(`select * from items where status = 'changes_requested' and created_by = ? order by updated_at, id ${limitClause(limit)}`, [userId])
    : [];
  return { toReview, toRework };
}
