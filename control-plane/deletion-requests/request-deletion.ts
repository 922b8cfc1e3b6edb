import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { ControlPlane } from '../control-plane';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import { assertSlugConfirmed } from '../lifecycle/confirm-slug';
import type { TenantRecord } from '../tenants/tenant-record';
import { DeletionRequestRepository, endsDeletionRequest, requestFacts, type DeletionRequest } from './deletion-request-repository';
import { mailSuperAdminsOfRequest } from './deletion-request-mail';
import { deletionRequestSchema } from './deletion-request-schemas';

function tenantOf(platform: ControlPlane, actor: ActingMember): TenantRecord {
  const tenant = platform.tenants.findById(actor.tenantId);
  if (!tenant) throw new NotFoundError();
  return tenant;
}

/**
 * An owner asks for their workspace to be deleted (decision 056): confirmed by its slug, stored
 * in the control plane with who asked, when and why, recorded as `tenant.deletion.requested`,
 * and mailed to the super admins once it commits. The workspace keeps working. A request while
 * one is pending (asked twice, a double click, another owner) keeps the pending one and is
 * answered as done (`repeated`), writing and mailing nothing.
 */
export function requestDeletion(platform: ControlPlane, actor: ActingMember, input: unknown): { request: DeletionRequest; repeated: boolean } {
  const tenant = tenantOf(platform, actor);
  assertSlugConfirmed(tenant, input);
  const { reason } = parseInput(deletionRequestSchema, input);
  const requests = new DeletionRequestRepository(platform.db);
  return platform.db.write(() => {
    // Archived since the page let the owner in: the archive answered any request, and none is asked now (decision 056).
    const now = platform.tenants.findById(tenant.id);
    if (!now || endsDeletionRequest(now.status)) throw new NotFoundError();
    if (!requests.add({ tenantId: tenant.id, requestedBy: actor.userId, requestedAt: Date.now(), reason }))
      return { request: requests.find(tenant.id) as DeletionRequest, repeated: true };
    const request = requests.find(tenant.id) as DeletionRequest;
    platform.audit.record({
      ...auditedBy(actor),
      action: 'tenant.deletion.requested',
      targetType: 'tenant',
      targetId: tenant.id,
      after: requestFacts(request),
    });
    platform.db.afterCommit(() =>
      platform.background.run('deletion request mail', () => mailSuperAdminsOfRequest(platform, tenant, { by: request.requester_name, reason })),
    );
    return { request, repeated: false };
  });
}

/**
 * An owner withdraws the pending request: it ends, recorded as `tenant.deletion.withdrawn`. None
 * pending (withdrawn already, declined meanwhile, a double click) is answered as done: false.
 */
export function withdrawDeletionRequest(platform: ControlPlane, actor: ActingMember): boolean {
  const tenant = tenantOf(platform, actor);
  const requests = new DeletionRequestRepository(platform.db);
  return platform.db.write(() => {
    const request = requests.find(tenant.id);
    if (!request || !requests.end(tenant.id)) return false;
    platform.audit.record({
      ...auditedBy(actor),
      action: 'tenant.deletion.withdrawn',
      targetType: 'tenant',
      targetId: tenant.id,
      before: requestFacts(request),
    });
    return true;
  });
}
