import type { SecretBox } from '../core/crypto/secret-box';
import type { Language } from '../core/i18n/languages';
import type { Config } from '../core/config/load-config';
import type { Logger } from '../core/logging/logger';
import type { ConnectionRouter } from '../tenant-runtime/connection-router';
import type { AuditSink } from '../tenant-runtime/audit-sink';
import type { TenantRef } from '../tenant-runtime/tenant-request-context';
import type { Permission } from '../tenant-runtime/permission-catalogue';
import type { Mailer } from '../core/mail/mailer';
import type { TenantUrls } from '../tenant-runtime/tenant-urls';
import type { Entitlements } from '../tenant-runtime/plan-catalogue';
import type { UsageSources } from './usage/usage-report';
import type { LevelHistory } from './usage/usage-overview';

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

/**
 * Per tenant, when its next workflow mail is due (or its ended mails are to be deleted) and since
 * when its oldest unsent one waits, null when none does (the control plane's `mail_schedule`).
 */
export interface MailHintStore {
  noteDue(tenantId: string, at: number): void;
  notePrune(tenantId: string, at: number): void;
  replace(tenantId: string, next: { dueAt: number; waitingSince: number | null } | null): void;
  due(now: number, limit: number): string[];
}

/** Tenant records as the workspace needs them: a tenant's current status, and tenants by status. */
export interface TenantLookup {
  findById(id: string): TenantRef | undefined;
  listByStatus(statuses: Array<'active' | 'suspended' | 'archived'>): TenantRef[];
}

/** A member as the workspace's mails need them. */
export interface MemberContact {
  id: string;
  name: string;
  email: string;
  /** The language the member chose for themselves; undefined: the workspace's. */
  language?: Language;
}

/** Mail to a tenant's owners (the control plane knows who they are). */
export interface OwnerNotifier {
  /** `mail` holds messages (msg()), written in each owner's language: their own, else `workspaceLanguage`. */
  notifyOwners(tenantId: string, workspaceLanguage: Language, mail: { subject: string; lines: string[] }): Promise<number>;
}

/** Members of a workspace as its features need them (looked up in the control plane, wired in app/). */
export interface MemberLookup {
  /** Who an email belongs to, if they are a member. */
  memberByEmail(tenantId: string, email: string): { id: string; name: string } | undefined;
  /** A member by user id whose role grants every one of these permissions (undefined once they left, while their account is disabled, or without one of them). */
  memberById(tenantId: string, userId: string, permissions: Permission[]): MemberContact | undefined;
  /** The members whose role grants every one of these permissions (accounts disabled left out). */
  membersWith(tenantId: string, permissions: Permission[]): MemberContact[];
}

/**
 * Where the workspace keeps the platform's copies of its settings up to date: its display name
 * (the switcher and mails show it) and its language (the pages its members get while its file
 * cannot be opened speak it), always the two together.
 */
export interface SettingsCopies {
  /** Not known for now (a change to them being saved): the platform reads them from the file on its next open. */
  forget(tenantId: string): void;
  /** The two as the file holds them once the change committed. */
  keep(tenantId: string, copies: { displayName: string; language: Language }): void;
}

/** Each tenant's plan limits and feature flags (the control plane's cached plan book). */
export interface EntitlementSource {
  entitlementsOf(tenantId: string): Entitlements;
}

/**
 * What a member deleted in a workspace moments ago (the control plane's audit trail): a deletion
 * sent again (a double click, an API call retried) is answered with the first one's, not a 404.
 */
export interface RecentDeletions {
  /** The `before` of the member's own deletion record in this workspace within DOUBLE_SUBMIT_MS, if any. */
  deletedJustNow(asked: { tenantId: string; actorUserId: string; action: string; targetType: string; targetId: string }): Record<string, unknown> | undefined;
}

/**
 * What a member imported in a workspace moments ago (the control plane's audit trail): the same
 * file committed again (a double click on Import) is answered with the first import's result.
 */
export interface RecentImports {
  /** The `after` of the member's own `items.import` records in this workspace within DOUBLE_SUBMIT_MS, newest first. */
  importsJustNow(asked: { tenantId: string; actorUserId: string }): Record<string, unknown>[];
}

/** A workspace's pending request to be deleted (the control plane keeps it, decision 056), as its settings page shows it. */
export interface DeletionRequestLookup {
  pendingFor(tenantId: string): { askedBy: string; askedAt: number; reason: string | null } | undefined;
}

/** Runs work after the response is on its way (mails); failures are logged, never shown (core/jobs/background-tasks.ts). */
export type Later = (name: string, work: () => Promise<unknown> | unknown) => void;

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
  /** The hint for workflow mails: lowered when one is queued, read by the mail dispatcher. */
  mailHints: MailHintStore;
  owners: OwnerNotifier;
  members: MemberLookup;
  settingsCopies: SettingsCopies;
  mailer: Mailer;
  urls: TenantUrls;
  planBook: EntitlementSource;
  /** The use the control plane counts (members, pending invitations), for usage reports. */
  usageSources: UsageSources;
  /** The roll-up's daily history of level limits, for the usage page's charts. */
  usageHistory: LevelHistory;
  recentDeletions: RecentDeletions;
  recentImports: RecentImports;
  deletionRequests: DeletionRequestLookup;
  /** Values the control plane keeps sealed with SECRETS_KEY (two-step sign-in keys), re-sealed by a key rotation. */
  platformSecrets?: PlatformSecrets;
}

/** The control plane's sealed values, as a rotation of SECRETS_KEY re-seals them (in one transaction). */
export interface PlatformSecrets {
  reseal(from: SecretBox, to: SecretBox): { rotated: number; alreadyCurrent: number };
}
