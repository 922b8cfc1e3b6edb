import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { Actor } from '../items/item-history';
import { loadWorkflowRules, type WorkflowRules } from './workflow-rules';

/** What a workflow command is handed: the tenant's handle, who acts, what they may do, the rules. */
export interface WorkflowContext {
  db: TenantDatabase;
  actor: Actor;
  permissions: ReadonlySet<Permission>;
  readonly rules: WorkflowRules;
  now: () => number;
}

/** The rules are read on first use: a comment, for one, never needs them. */
export function workflowContext(db: TenantDatabase, actor: Actor, permissions: ReadonlySet<Permission>): WorkflowContext {
  let rules: WorkflowRules | undefined;
  return {
    db,
    actor,
    permissions,
    get rules() {
      rules ??= loadWorkflowRules(db);
      return rules;
    },
    now: Date.now,
  };
}
