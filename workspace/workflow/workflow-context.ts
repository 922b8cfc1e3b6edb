import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { Actor } from '../items/item-history';
import { loadWorkflowRules, type WorkflowRules } from './workflow-rules';
import { zonedClock, type ZonedClock } from '../../core/time/zoned-clock';
import type { LimitPolicy } from '../../tenant-runtime/limit-check';

/** What a workflow command is handed: the tenant's handle, who acts, what they may do, the rules. */
export interface WorkflowContext {
  db: TenantDatabase;
  actor: Actor;
  permissions: ReadonlySet<Permission>;
  readonly rules: WorkflowRules;
  /** The workspace's time zone, for times typed or imported without an offset. */
  clock: ZonedClock;
  now: () => number;
  /** The plan's limits the commands check (absent: none, as for demo content written by the platform). */
  limits?: LimitPolicy;
}

/** The rules are read on first use: a comment, for one, never needs them. */
export function workflowContext(
  db: TenantDatabase,
  actor: Actor,
  permissions: ReadonlySet<Permission>,
  clock: ZonedClock = zonedClock('UTC'),
  limits?: LimitPolicy,
): WorkflowContext {
  return new CommandContext(db, actor, permissions, clock, limits);
}

/** A class, so the rules' getter is on its prototype instead of a closure per command (docs/decisions/038). */
class CommandContext implements WorkflowContext {
  now: () => number = Date.now;
  readonly limits?: LimitPolicy;
  private rulesRead?: WorkflowRules;

  constructor(
    readonly db: TenantDatabase,
    readonly actor: Actor,
    readonly permissions: ReadonlySet<Permission>,
    readonly clock: ZonedClock,
    limits?: LimitPolicy,
  ) {
    if (limits) this.limits = limits;
  }

  get rules(): WorkflowRules {
    return (this.rulesRead ??= loadWorkflowRules(this.db));
  }
}
