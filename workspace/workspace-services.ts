import type { Config } from '../core/config/load-config';
import type { Logger } from '../core/logging/logger';
import type { ConnectionRouter } from '../tenant-runtime/connection-router';
import type { AuditSink } from '../tenant-runtime/audit-sink';
import type { TenantRef } from '../tenant-runtime/tenant-request-context';

/**
 * The control plane's per-tenant schedule hints (a time at or before which a tenant may have
 * an item due), as the workspace uses them: lowered when an item is scheduled, moved on after
 * a visit, read by the scheduler.
 */
export interface ScheduleHintStore {
  noteDue(tenantId: string, at: number): void;
  replace(tenantId: string, next: number | null): void;
  due(now: number, limit: number): string[];
}

/** Tenant records as the workspace needs them: a tenant's current status, and tenants by status. */
export interface TenantLookup {
  findById(id: string): TenantRef | undefined;
  listByStatus(statuses: Array<'active' | 'suspended' | 'archived'>): TenantRef[];
}

/** Mail to a tenant's owners (the control plane knows who they are). */
export interface OwnerNotifier {
  notifyOwners(tenantId: string, subject: string, text: string): Promise<number>;
}

/** Members of a workspace as its features need them: who an email belongs to, if they are a member. */
export interface MemberLookup {
  memberByEmail(tenantId: string, email: string): { id: string; name: string } | undefined;
}

/** Where the workspace tells the platform its display name changed (the switcher and mails show it). */
export interface DisplayNameSink {
  displayNameChanged(tenantId: string, displayName: string): void;
}

/**
 * What the workspace's features need from the platform, as narrow interfaces (the control
 * plane provides them; app/ wires it). The workspace never imports the control plane.
 */
export interface WorkspaceServices {
  config: Config;
  logger: Logger;
  router: ConnectionRouter;
  audit: AuditSink;
  tenants: TenantLookup;
  scheduleHints: ScheduleHintStore;
  /** The same kind of hint for webhook deliveries: lowered when one is queued, read by the dispatcher. */
  webhookHints: ScheduleHintStore;
  owners: OwnerNotifier;
  members: MemberLookup;
  displayNames: DisplayNameSink;
}
