import fs from 'node:fs';
import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import type { ControlPlane } from '../control-plane';
import { provisioningTempDir } from '../provisioning/provisioning-paths';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { assertSlugConfirmed } from './confirm-slug';
import { byOperator, type Operator } from './operator';
import { completePurge } from './complete-operations';
import { withTenantLock } from './tenant-lock';
import { findTenantTransition } from './tenant-transitions';
import { stepJustDone } from './repeated-step';

/**
 * Gives up on a tenant whose provisioning failed, confirmed by its slug: whatever its attempt
 * left on disk goes (it was never active, so it holds nobody's data) and its row becomes a
 * tombstone, which frees the slug. The same discard sent again from the console moments after
 * is answered with the tombstone the first one left.
 */
export async function discardTenant(platform: ControlPlane, tenantId: string, input: unknown, operator: Operator): Promise<TenantRecord> {
  const tenant = platform.tenants.findById(tenantId);
  if (!tenant) throw new NotFoundError('No such tenant.');
  assertSlugConfirmed(tenant, input);
  const repeated = stepJustDone(platform, tenantId, 'discard', operator);
  if (repeated) return repeated;
  const { dataDir } = platform.config;
  return withTenantLock(dataDir, tenantId, () => {
    const current = platform.tenants.findById(tenantId) as TenantRecord;
    if (!findTenantTransition('discard', current.status))
      throw new ConflictError(`Tenant ${current.slug} is ${statusWords(current.status)}; only a failed tenant can be discarded.`);
    fs.rmSync(provisioningTempDir(dataDir, tenantId), { recursive: true, force: true });
    fs.rmSync(tenantPaths(dataDir, tenantId).dir, { recursive: true, force: true });
    return completePurge(platform, tenantId, byOperator(operator), 'discard', current.failure_reason ?? undefined);
  });
}
