import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import type { ControlPlane } from '../control-plane';
import { withOwnerMail, type CreatedTenant } from '../tenants/create-tenant';
import { ownerActivation, type OwnerOutcome } from '../provisioning/owner-activation';
import { provisionDeps, runProvisioningSteps } from '../provisioning/provision-tenant';
import { applyTransition } from './apply-transition';
import { byOperator, type Operator } from './operator';
import { withTenantLock } from './tenant-lock';
import { findTenantTransition } from './tenant-transitions';
import { retryJustDone } from './repeated-step';
import { statusWords } from '../tenants/tenant-record';

/**
 * Provisions a failed tenant again with the same id, slug, name and intended owner. It ends
 * active with its owner (a new owner's invitation mailed and shown once), or failed again with the new reason.
 * The same retry sent again from the console moments after (a double click) provisions nothing:
 * it waits for the first and is answered with the tenant as that left it (`repeated`).
 */
export async function retryProvisioning(platform: ControlPlane, tenantId: string, operator: Operator): Promise<CreatedTenant> {
  const repeated = await retryJustDone(platform, tenantId, operator);
  if (repeated) return { tenant: repeated, repeated: {} };
  return withTenantLock(platform.config.dataDir, tenantId, async () => {
    const tenant = platform.tenants.findById(tenantId);
    if (!tenant) throw new NotFoundError('No such tenant.');
    if (!findTenantTransition('retry', tenant.status))
      throw new ConflictError(`Tenant ${tenant.slug} is ${statusWords(tenant.status)}; only a failed tenant can be retried.`);
    applyTransition(platform, tenantId, 'retry', { ...byOperator(operator), reason: tenant.failure_reason });
    const outcome: OwnerOutcome = {};
    const activate = ownerActivation(platform, operator, outcome, 'provisioning retried');
    const done = await runProvisioningSteps(provisionDeps(platform, { activate }), tenant);
    // Once it is active, a new owner's invitation is mailed, as for a tenant created (under the lock, as there).
    const owner = await withOwnerMail(platform, done, outcome, operator.userId);
    return { tenant: platform.tenants.findById(tenantId) ?? done, ...owner };
  });
}
