import type { PlatformDatabase } from '../db/platform-database';
import { BOUND_LIMIT } from '../../core/db/sql-limit';
import type { DeletionRequestPosition } from './deletion-request-position';

/** A workspace's pending request to be deleted, with who asked (decision 056). */
export interface DeletionRequest {
  tenant_id: string;
  requested_by: string;
  requested_at: number;
  reason: string | null;
  requester_name: string;
  requester_email: string;
}

/** A pending request with its tenant, as the console's dashboard lists them. */
export interface PendingDeletionRequest extends DeletionRequest {
  tenant_slug: string;
  tenant_name: string;
  tenant_status: string;
}

/**
 * Statuses in which a workspace has no deletion request: one pending ends as it enters them (the
 * archive or purge answers it), none is asked while in one, and a row found on leaving one (a
 * restore) ends too, so a restored workspace never has one pending (decision 056).
 */
export function endsDeletionRequest(status: string): boolean {
  return status === 'archived' || status === 'purged';
}

/** A request as its audit records keep it (never an address). */
export function requestFacts(request: DeletionRequest) {
  return { requested_by: request.requested_by, requested_at: new Date(request.requested_at).toISOString(), reason: request.reason };
}

const SELECT = `select r.tenant_id, r.requested_by, r.requested_at, r.reason, u.name as requester_name, u.email as requester_email
  from tenant_deletion_requests r join users u on u.id = r.requested_by`;

/** The control plane's `tenant_deletion_requests`: at most one pending request per tenant; an ended one is gone. */
export class DeletionRequestRepository {
  constructor(private readonly db: PlatformDatabase) {}

  find(tenantId: string): DeletionRequest | undefined {
    return this.db.get<DeletionRequest>(`${SELECT} where r.tenant_id = ?`, [tenantId]);
  }

  /** Adds the tenant's request unless one is pending: true when this one was added. */
  add(request: { tenantId: string; requestedBy: string; requestedAt: number; reason: string | null }): boolean {
    const result = this.db.run(
      'insert into tenant_deletion_requests (tenant_id, requested_by, requested_at, reason) values (?, ?, ?, ?) on conflict(tenant_id) do nothing',
      [request.tenantId, request.requestedBy, request.requestedAt, request.reason],
    );
    return result.changes > 0;
  }

  /** Ends the tenant's request (withdrawn, declined, or the tenant archived): true when there was one. */
  end(tenantId: string): boolean {
    return this.db.run('delete from tenant_deletion_requests where tenant_id = ?', [tenantId]).changes > 0;
  }

  /**
   * Pending requests of workspaces that can have one (not archived or purged), oldest first, those of
   * one instant by tenant id (the console's dashboard, the admin API's pages): `after` a page's last.
   */
  listPending(limit = 50, after?: DeletionRequestPosition): PendingDeletionRequest[] {
    const from = after ? 'and (r.requested_at, r.tenant_id) > (?, ?)' : '';
    return this.db.all<PendingDeletionRequest>(
      `select r.tenant_id, r.requested_by, r.requested_at, r.reason, u.name as requester_name, u.email as requester_email,
              t.slug as tenant_slug, t.name as tenant_name, t.status as tenant_status
         from tenant_deletion_requests r join users u on u.id = r.requested_by join tenants t on t.id = r.tenant_id
        where t.status not in ('archived', 'purged') ${from}
        order by r.requested_at, r.tenant_id ${BOUND_LIMIT}`,
      [...(after ? [after.requestedAt, after.tenantId] : []), limit],
    );
  }
}
