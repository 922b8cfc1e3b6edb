import type { ControlPlane } from '../control-plane';

/**
 * What a purged (or discarded) tenant leaves in the control plane besides its tombstone:
 * nothing that names a person or grants access. Memberships, invitations (they hold email
 * addresses), its custom roles, its publishing, webhook and mail hints and the member events
 * still waiting to be queued in its file go; the audit trail and fleet run history stay, with the
 * tombstone they point to. Runs inside the caller's transaction.
 */
export function forgetTenantRows(platform: Pick<ControlPlane, 'db' | 'changes'>, tenantId: string): void {
  const { db } = platform;
  db.run('delete from memberships where tenant_id = ?', [tenantId]);
  db.run('delete from invitations where tenant_id = ?', [tenantId]);
  db.run('delete from roles where tenant_id = ?', [tenantId]);
  for (const table of ['tenant_schedule', 'webhook_schedule', 'mail_schedule', 'tenant_event_outbox'])
    db.run(`delete from ${table} where tenant_id = ?`, [tenantId]);
  db.run('update users set default_tenant_id = null where default_tenant_id = ?', [tenantId]);
  db.run('update users set last_tenant_id = null where last_tenant_id = ?', [tenantId]);
  platform.changes.membershipsChanged();
}
