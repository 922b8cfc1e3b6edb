import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import type { AuditSink } from '../../tenant-runtime/audit-sink';
import type { PlatformDatabase } from '../db/platform-database';
import type { TenantRepository } from '../tenants/tenant-repository';
import type { PendingOperation, TenantRecord, TenantStatus } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { findTenantTransition, type TenantAction, type TransitionActor } from './tenant-transitions';
import { TenantStatusHistory } from './tenant-status-history';
import { eventsWaitWhile, type TenantEvents } from '../events/tenant-events';
import { DeletionRequestRepository, endsDeletionRequest, requestFacts } from '../deletion-requests/deletion-request-repository';

export interface TransitionDeps {
  db: PlatformDatabase;
  tenants: TenantRepository;
  /** Where the audit record goes; provisioning writes its own (tenant.create) and passes none. */
  audit?: AuditSink;
  /** Where the member and invitation events that waited for a tenant in maintenance or damaged are handed on once it is back. */
  tenantEvents?: Pick<TenantEvents, 'handOnWaitedFor'>;
}

export interface TransitionInput {
  /** The super admin who acts (null: the CLI or the platform itself). */
  actorUserId: string | null;
  by: TransitionActor;
  reason?: string | null;
  until?: number | null;
  /** What went wrong (fail, mark-damaged). */
  failure?: string | null;
  /** A file operation recorded with the change (archive, restore, purge), or null when it is done. */
  pendingOperation?: PendingOperation | null;
  ip?: string | null;
  userAgent?: string | null;
  /** The API token the operator's request came with: the record names it (decision 023). */
  apiTokenId?: string | null;
  /** The audit record's action when the step belongs to a larger operation (default `tenant.<action>`). */
  auditAction?: string;
  /** More for the audit record's `after` (a backup id, the migrations applied). */
  auditDetails?: Record<string, unknown>;
}

const VERB: Record<TenantAction, string> = {
  activate: 'activated',
  fail: 'marked failed',
  'roll-back': 'rolled back',
  retry: 'retried',
  discard: 'discarded',
  suspend: 'suspended',
  resume: 'resumed',
  archive: 'archived',
  restore: 'restored',
  purge: 'purged',
  'mark-damaged': 'marked damaged',
  recover: 'brought back online',
  'take-offline': 'taken offline',
  'bring-back': 'brought back online',
};

/**
 * The one writer of tenant statuses. In one IMMEDIATE transaction: re-reads the tenant, checks
 * the transition table (a move it does not list is a 409 and writes nothing), updates the row,
 * appends the status history and writes the audit record (its tenant id puts it in the
 * tenant's trail as well as the platform's). An archive or a purge ends the tenant's pending
 * deletion request (as does a restore, of one left beside an archive), which its record then names. The repository tells the change feed, which
 * closes the open handle of a tenant that is no longer active. A tenant back from maintenance or
 * damaged has the events that waited for it handed on once the change commits.
 */
export function applyTransition(deps: TransitionDeps, tenantId: string, action: TenantAction, input: TransitionInput): TenantRecord {
  return deps.db.write(() => {
    const tenant = deps.tenants.findById(tenantId);
    if (!tenant) throw new NotFoundError('No such tenant.');
    const transition = findTenantTransition(action, tenant.status);
    if (!transition || !transition.by.includes(input.by)) {
      throw new ConflictError(`Tenant ${tenant.slug} is ${statusWords(tenant.status)}; it cannot be ${VERB[action]}.`, {
        tenantId,
        status: tenant.status,
        action,
      });
    }
    // One file operation is recorded at a time: another one's mark is never replaced (it would never be finished).
    const pending = tenant.pending_operation;
    if (input.pendingOperation && pending && pending !== input.pendingOperation)
      throw new ConflictError(`A ${pending} of tenant ${tenant.slug} is not finished; it cannot be ${VERB[action]} until it is.`, {
        tenantId,
        pendingOperation: pending,
        action,
      });
    const history = new TenantStatusHistory(deps.db);
    const to: TenantStatus = transition.to === 'previous' ? (history.statusBefore(tenant.id, tenant.status) ?? 'active') : transition.to;
    const now = Date.now();
    const keepsFailure = to === 'failed' || to === 'damaged';
    deps.tenants.update(tenant.id, {
      status: to,
      status_reason: input.reason ?? null,
      status_until: input.until ?? null,
      status_changed_at: now,
      status_changed_by: input.actorUserId,
      failure_reason: keepsFailure ? (input.failure ?? tenant.failure_reason) : null,
      ...(input.pendingOperation !== undefined ? { pending_operation: input.pendingOperation } : {}),
    });
    history.record({
      tenant_id: tenant.id,
      action,
      from_status: tenant.status,
      to_status: to,
      reason: input.reason ?? input.failure ?? null,
      until: input.until ?? null,
      actor_user_id: input.actorUserId,
      actor_label: input.actorUserId ? null : input.by === 'system' ? 'platform' : 'cli',
    });
    // Archived or purged, the workspace's pending deletion request is answered: it ends with the change, and
    // a restore brings none back (a row written beside an archive by an older version ends then; decision 056).
    const requests = new DeletionRequestRepository(deps.db);
    const request = endsDeletionRequest(to) || endsDeletionRequest(tenant.status) ? requests.find(tenant.id) : undefined;
    if (request) requests.end(tenant.id);
    deps.audit?.record({
      action: input.auditAction ?? `tenant.${action}`,
      actorUserId: input.actorUserId,
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      before: { status: tenant.status },
      after: {
        status: to,
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.until ? { until: new Date(input.until).toISOString() } : {}),
        ...(input.failure ? { failure: input.failure } : {}),
        ...input.auditDetails,
        ...(request ? { deletion_request: requestFacts(request) } : {}),
      },
      ip: input.ip,
      userAgent: input.userAgent,
      apiTokenId: input.apiTokenId ?? null,
    });
    // Back from a status whose events wait (recovered, brought back after a restore): they are
    // queued for its webhooks once this commits, not a minute later by the lifecycle timer.
    const events = deps.tenantEvents;
    if (events && eventsWaitWhile(tenant.status) && !eventsWaitWhile(to)) deps.db.afterCommit(() => events.handOnWaitedFor(tenant.id));
    return deps.tenants.findById(tenant.id) as TenantRecord;
  });
}
