import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { ControlPlane } from '../control-plane';
import { recordsJustMade } from '../audit/recent-records';
import { repeatAsker, type Operator } from '../lifecycle/operator';
import { auditedOperator } from '../audit/operator';
import type { TenantRecord } from '../tenants/tenant-record';
import { DeletionRequestRepository, requestFacts } from './deletion-request-repository';
import { mailRequesterOfDecline } from './deletion-request-mail';
import { declineSchema } from './deletion-request-schemas';

/**
 * A super admin declines a workspace's pending deletion request with a note: the request ends,
 * recorded as `tenant.deletion.declined`, and the owner who asked is mailed the note once it
 * commits. The tenant itself is not touched. The same decline sent again moments after (a double
 * click, an API call sent again by the same token) is answered as done; with no request pending
 * otherwise, a 409.
 */
export function declineDeletionRequest(platform: ControlPlane, tenantId: string, input: unknown, operator: Operator): TenantRecord {
  const tenant = platform.tenants.findById(tenantId);
  if (!tenant) throw new NotFoundError('No such tenant.');
  const { note } = parseInput(declineSchema, input);
  const requests = new DeletionRequestRepository(platform.db);
  return platform.db.write(() => {
    const request = requests.find(tenant.id);
    if (!request) {
      const asker = repeatAsker(operator);
      const asked = asker && recordsJustMade(platform.db, { ...asker, action: 'tenant.deletion.declined', tenantId: tenant.id });
      if (asked && asked.some((record) => record.after.note === note)) return tenant;
      throw new ConflictError(`No deletion request of ${tenant.slug} is pending.`, { tenantId: tenant.id });
    }
    requests.end(tenant.id);
    platform.audit.record({
      ...auditedOperator(operator),
      action: 'tenant.deletion.declined',
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      before: requestFacts(request),
      after: { note },
    });
    platform.db.afterCommit(() => platform.background.run('deletion decline mail', () => mailRequesterOfDecline(platform, tenant, request.requested_by, note)));
    return tenant;
  });
}
