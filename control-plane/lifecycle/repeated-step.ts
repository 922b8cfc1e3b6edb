import { isDoubleSubmit } from '../../core/http/double-submit';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import type { Operator } from './operator';
import { tenantLockFreed } from './tenant-lock';
import type { TenantAction } from './tenant-transitions';
import { TenantStatusHistory, type StatusChangeRow } from './tenant-status-history';

/**
 * The tenant as a lifecycle step just left it, when this request is that step sent again from its
 * console form (a double click, a form sent again): the tenant's last status change is the same
 * step by the same super admin within DOUBLE_SUBMIT_MS, with the same details (`same`). The
 * repeat is answered with the first one's outcome instead of "it cannot be suspended" about its
 * own effect. Undefined otherwise (another step, another person, the API, the CLI): the step runs
 * and is checked as always.
 */
export function stepJustDone(
  platform: ControlPlane,
  tenantId: string,
  action: TenantAction,
  operator: Operator,
  same: (change: StatusChangeRow) => boolean = () => true,
): TenantRecord | undefined {
  if (!operator.atForm || !operator.userId) return undefined;
  const last = new TenantStatusHistory(platform.db).latest(tenantId);
  if (!last || last.action !== action || last.actor_user_id !== operator.userId || !isDoubleSubmit(last.created_at) || !same(last)) return undefined;
  return platform.tenants.findById(tenantId);
}

/**
 * stepJustDone for a step with a file operation (archive, restore, purge): while the same
 * operation runs on the tenant (the first of the two, holding its lock), it is waited for first,
 * so the repeat answers with its outcome, not "another operation is running". A first one that
 * did not finish its files (it failed after its status change, its operation still pending) is
 * no outcome to answer with: the repeat runs and is checked as always.
 */
export async function fileStepJustDone(
  platform: ControlPlane,
  tenantId: string,
  action: 'archive' | 'restore' | 'purge',
  operator: Operator,
  same: (change: StatusChangeRow) => boolean = () => true,
) {
  if (!operator.atForm || !operator.userId) return undefined;
  if (platform.tenants.findById(tenantId)?.pending_operation === action) await tenantLockFreed(platform.config.dataDir, tenantId);
  const done = stepJustDone(platform, tenantId, action, operator, same);
  return done?.pending_operation === action ? undefined : done;
}

/**
 * stepJustDone for a provisioning retry, whose own status change (failed → provisioning) is
 * followed by the provisioning's (activate or fail): the tenant's last entry into provisioning
 * is a retry by the same super admin moments ago. While that retry still runs (it holds the
 * tenant's lock), it is waited for, so the repeat answers with its outcome, not "another
 * operation is running" or "only a failed tenant can be retried" about its own effect. A retry
 * that failed again is no outcome to answer with: the tenant is failed, and is retried again.
 */
export async function retryJustDone(platform: ControlPlane, tenantId: string, operator: Operator): Promise<TenantRecord | undefined> {
  if (!operator.atForm || !operator.userId) return undefined;
  const last = new TenantStatusHistory(platform.db).lastInto(tenantId, 'provisioning');
  if (!last || last.action !== 'retry' || last.actor_user_id !== operator.userId || !isDoubleSubmit(last.created_at)) return undefined;
  await tenantLockFreed(platform.config.dataDir, tenantId);
  // A retry that failed again answered with its error: one sent after it is a new attempt.
  const tenant = platform.tenants.findById(tenantId);
  return tenant?.status === 'failed' ? undefined : tenant;
}
