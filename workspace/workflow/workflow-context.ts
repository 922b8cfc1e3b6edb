import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { Actor } from '../items/item-history';
import { loadWorkflowRules, type WorkflowRules } from './workflow-rules';

/** What a workflow command is handed: the tenant's handle, who acts, what they may do, the rules. */
export interface WorkflowContext {
  db: TenantDatabase;
  actor: Actor;
  permissions: ReadonlySet<Permission>;
  rules: WorkflowRules;
  now: () => number;
}

export function workflowContext(db: TenantDatabase, actor: Actor, permissions: ReadonlySet<Permission>): WorkflowContext {
  return { db, actor, permissions, rules: loadWorkflowRules(db), now: Date.now };
}
