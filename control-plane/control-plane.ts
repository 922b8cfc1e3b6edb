import type { Config } from '../core/config/load-config';
import type { MigrationSource } from '../core/db/migration-runner';
import { createLogger, type Logger } from '../core/logging/logger';
import { createMailer, type Mailer, type MailerOptions } from '../core/mail/mailer';
import { ConnectionRouter } from '../tenant-runtime/connection-router';
import { tenantMigrationSource } from '../tenant-runtime/tenant-migrator';
import { tenantUrls, type TenantUrls } from '../tenant-runtime/tenant-urls';
import { openPlatformDatabase, migratePlatform, type PlatformDatabase } from './db/platform-database';
import { ChangeFeed } from './change-feed';
import { TenantRepository } from './tenants/tenant-repository';
import { UserRepository } from './users/user-repository';
import { MembershipRepository } from './memberships/membership-repository';
import { RoleRepository } from './roles/role-repository';
import { InvitationRepository } from './invitations/invitation-repository';
import { AuditLog } from './audit/audit-log';
import { AccessCache } from './tenants/access-cache';
import { ScheduleHints } from './schedule/schedule-hints';
import { MailHints } from './schedule/mail-hints';
import { TenantHealth } from './lifecycle/tenant-health';
import { routerOpener } from './lifecycle/router-opener';
import { BehindTenantFiles } from '../tenant-runtime/behind-tenant-files';
import { ApiTokenRepository } from './api-tokens/api-token-repository';
import { TenantEvents } from './events/tenant-events';
import { OwnerMail } from './tenants/owner-mail';
import { BackgroundTasks } from '../core/jobs/background-tasks';
import { PlanRepository } from './plans/plan-repository';
import { PlanBook } from './plans/plan-book';
import { StorageLimitCarryOver } from './plans/carry-over-storage-limit';
import type { TenantDatabase } from '../tenant-runtime/tenant-database';
import type { WorkspaceLocale } from '../core/i18n/workspace-locale';
import type { Language } from '../core/i18n/languages';
import type { WorkspaceOwnName } from './tenants/workspace-own-name';

/**
 * Everything stored in platform.sqlite, with the tenant router it governs, built once and
 * passed explicitly to requests, CLI commands and background jobs (no module-level state).
 */
export interface ControlPlane {
  config: Config;
  db: PlatformDatabase;
  logger: Logger;
  /** The tenant migration track: every tenant file is expected at its latest version. */
  tenantSource: MigrationSource;
  changes: ChangeFeed;
  tenants: TenantRepository;
  users: UserRepository;
  memberships: MembershipRepository;
  roles: RoleRepository;
  invitations: InvitationRepository;
  audit: AuditLog;
  access: AccessCache;
  /** Plans and the plan columns of tenants (super admins' CRUD). */
  plans: PlanRepository;
  /** Each tenant's entitlements, cached for the request path. */
  planBook: PlanBook;
  scheduleHints: ScheduleHints;
  /** Where damaged tenant files are reported (marked damaged, logged once a minute per tenant). */
  health: TenantHealth;
  /** Per tenant, when its next webhook delivery is due (the dispatcher's hint). */
  webhookHints: ScheduleHints;
  /** Per tenant, when its next workflow mail is due and since when its oldest waits (the mail dispatcher's hint). */
  mailHints: MailHints;
  apiTokens: ApiTokenRepository;
  /** Member and invitation events, for the tenant's webhooks (subscribed in app/). */
  tenantEvents: TenantEvents;
  /** Mail to a tenant's owners. */
  owners: OwnerMail;
  /**
   * A workspace's language and time zone, read from its own file, for mails the operators send
   * for it (owner invitations); wired in app/ from the workspace. Without it (or when the file
   * cannot be read) such mails use the default language and UTC.
   */
  workspaceMailSettings?: (tenantId: string) => Promise<WorkspaceLocale>;
  /**
   * The workspace's own display name in its file, for a super admin's rename (rename-tenant.ts);
   * wired in app/ from the workspace. Without it a rename changes the control plane's name only.
   */
  workspaceOwnName?: WorkspaceOwnName;
  /**
   * A suspended workspace's language, for the page that tells its members so; wired in app/ from
   * the workspace. Undefined when its file cannot be read (or without it): the browser's then.
   */
  closedWorkspaceLanguage?: (tenantId: string) => Language | undefined;
  /** Work started after a command's answer (a tenant event queued for webhooks); `idle()` waits for it. */
  background: BackgroundTasks;
  router: ConnectionRouter;
  /**
   * How the router opens a tenant on a miss: its file checked, the tenant's status read for its
   * location, the former storage setting looked for once. For measuring and testing the opener;
   * everything else goes through `router`, which bounds, leases and closes what it opens.
   */
  openTenant: (tenantId: string) => TenantDatabase;
  /** Links to tenant pages (path or subdomain, per BASE_DOMAIN). */
  urls: TenantUrls;
  mailer: Mailer;
  close(): void;
}

export interface ControlPlaneOptions {
  logger?: Logger;
  /** Tests point this at a folder of extra or broken tenant migrations. */
  tenantMigrationsDir?: string;
  /** Tests shorten the SMTP waits. */
  mailer?: MailerOptions;
}

/** Opens and migrates platform.sqlite and builds the repositories, caches and tenant router on it. */
export async function openControlPlane(config: Config, options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = openPlatformDatabase(config.dataDir);
  await migratePlatform(db);
  const changes = new ChangeFeed();
  const tenants = new TenantRepository(db, changes);
  const memberships = new MembershipRepository(db, changes);
  const roles = new RoleRepository(db, changes);
  roles.syncPredefined();
  const tenantSource = tenantMigrationSource(options.tenantMigrationsDir);
  const audit = new AuditLog(db);
  const health = new TenantHealth({ db, tenants, audit, logger });
  const plans = new PlanRepository(db, changes);
  // A storage limit a workspace once set in its own settings becomes its override on first open.
  const carryOver = new StorageLimitCarryOver(plans, (err, tenantId) =>
    logger.warn({ err, tenantId }, 'the former storage limit could not be carried over; tried again on the next open'),
  );
  changes.onTenantChange(() => carryOver.forget());
  // A tenant found behind the code is refused from what its open found while its file stays the same.
  const behind = new BehindTenantFiles();
  changes.onTenantChange(() => behind.forget());
  const openTenant = routerOpener(config.dataDir, tenantSource, tenants, health, carryOver.afterOpen, behind);
  const router = new ConnectionRouter({ cap: config.tenantCacheSize, open: openTenant });
  const mailer = createMailer(config, logger, options.mailer);
  const closeInactive = (slug?: string) => {
    if (slug !== undefined) {
      const tenant = tenants.findBySlug(slug);
      if (tenant && tenant.status !== 'active') router.closeTenant(tenant.id);
      return;
    }
    // Any tenant may have changed: every open handle whose tenant is no longer active, or no longer
    // there at all (another process removed its row, as `tenantry demo --reset` does), is closed.
    const open = router.openTenantIds();
    const active = tenants.activeAmong(open);
    for (const tenantId of open) if (!active.has(tenantId)) router.closeTenant(tenantId);
  };
  // A tenant that stops being active (suspended, archived, removed) has its open handle closed at
  // once, or as soon as the request using it is done.
  changes.onTenantChange(closeInactive);
  // Another process changed the control plane (the CLI suspended a tenant, restored one, changed a
  // plan): told as a change of every tenant and every plan, so whatever listens for those (the
  // handles of inactive tenants closed, files looked at again, entitlements dropped) hears of it.
  const access = new AccessCache(db, { tenants, memberships, roles }, changes, () => {
    changes.tenantChanged();
    changes.plansChanged();
  });
  return {
    config,
    db,
    logger,
    tenantSource,
    changes,
    tenants,
    users: new UserRepository(db),
    memberships,
    roles,
    invitations: new InvitationRepository(db),
    audit,
    access,
    plans,
    planBook: new PlanBook(plans, changes, access),
    scheduleHints: new ScheduleHints(db),
    health,
    webhookHints: new ScheduleHints(db, 'webhook_schedule'),
    mailHints: new MailHints(db),
    apiTokens: new ApiTokenRepository(db),
    tenantEvents: new TenantEvents(db, (err, event) => logger.error({ err, event: event.type }, 'a tenant event listener failed')),
    router,
    openTenant,
    urls: tenantUrls(config),
    mailer,
    owners: new OwnerMail(tenants, memberships, mailer, logger),
    background: new BackgroundTasks(logger),
    close() {
      router.closeAll();
      db.close();
    },
  };
}
