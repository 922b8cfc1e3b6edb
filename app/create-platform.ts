import type { Config } from '../core/config/load-config';
import { openControlPlane, type ControlPlane, type ControlPlaneOptions } from '../control-plane/control-plane';
import { isLanguage } from '../core/i18n/languages';
import type { MemberRow } from '../control-plane/memberships/membership-repository';
import type { Permission } from '../tenant-runtime/permission-catalogue';
import type {
  PlatformSecrets,
  DeletionRequestLookup,
  SettingsCopies,
  MemberContact,
  MemberLookup,
  RecentDeletions,
  RecentImports,
  WorkspaceServices,
} from '../workspace/workspace-services';
import { DeletionRequestRepository } from '../control-plane/deletion-requests/deletion-request-repository';
import { deletedJustNow } from '../control-plane/audit/repeated-deletion';
import { recordsJustMade } from '../control-plane/audit/recent-records';
import type { LevelHistory } from '../workspace/usage/usage-overview';
import { forwardTenantEvents } from './webhook-wiring';
import { TwoStepRepository } from '../control-plane/two-step/two-step-repository';
import type { UsageSources } from '../workspace/usage/usage-report';
import { teamUse } from '../control-plane/plans/team-limits';
import { levelHistory } from '../control-plane/usage/usage-history';
import { workspaceMailSettings } from '../workspace/settings/mail-settings';
import { closedWorkspaceLanguage } from '../workspace/settings/closed-workspace-language';
import { workspaceOwnName } from '../workspace/settings/own-display-name';

/**
 * The platform a server, a CLI command or a test runs on: the control plane, plus what the
 * workspace asks of it through narrow interfaces (workspace/workspace-services.ts), built here
 * from the control plane's repositories. The control plane and the workspace never import each
 * other; this is where they meet.
 */
export type Platform = ControlPlane & WorkspaceServices;
export type PlatformOptions = ControlPlaneOptions;

function contactOf(member: MemberRow): MemberContact {
  const contact: MemberContact = { id: member.user_id, name: member.name, email: member.email };
  if (isLanguage(member.language)) contact.language = member.language;
  return contact;
}

export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const controlPlane = await openControlPlane(config, options);
  const { users, memberships, access } = controlPlane;
  const grantsAll = (member: MemberRow, permissions: Permission[]) => {
    const held = access.permissionsOfRole(member.role_id);
    return permissions.every((p) => held.has(p));
  };
  const members: MemberLookup = {
    memberByEmail(tenantId, email) {
      // A disabled account keeps its memberships (to be enabled again) but may not be named as an author.
      const user = users.findByEmail(email);
      return user?.status === 'active' && memberships.findActive(user.id, tenantId) ? { id: user.id, name: user.name } : undefined;
    },
    // Whom workflow mail goes to: a disabled account keeps its memberships, but hears nothing of the work.
    memberById(tenantId, userId, permissions) {
      const member = memberships.findReachable(userId, tenantId);
      return member && grantsAll(member, permissions) ? contactOf(member) : undefined;
    },
    membersWith(tenantId, permissions) {
      return memberships
        .listReachable(tenantId)
        .filter((m) => grantsAll(m, permissions))
        .map(contactOf);
    },
  };
  const settingsCopies: SettingsCopies = {
    forget: (tenantId) => controlPlane.tenants.keepSettingsCopies(tenantId, null),
    keep: (tenantId, copies) => controlPlane.tenants.keepSettingsCopies(tenantId, copies),
  };
  // Member and invitation events reach the tenant's webhooks.
  forwardTenantEvents(controlPlane);
  const usageSources: UsageSources = {
    members: (tenantId) => teamUse(controlPlane, tenantId, 'members'),
    pendingInvitations: (tenantId) => teamUse(controlPlane, tenantId, 'pending_invitations'),
  };
  const usageHistory: LevelHistory = (tenantId, key, days) => levelHistory(controlPlane.db, tenantId, key, days);
  const recentDeletions: RecentDeletions = { deletedJustNow: (asked) => deletedJustNow(controlPlane.db, asked) };
  const recentImports: RecentImports = {
    importsJustNow: (asked) => recordsJustMade(controlPlane.db, { action: 'items.import', ...asked }).map((record) => record.after),
  };
  const requests = new DeletionRequestRepository(controlPlane.db);
  const deletionRequests: DeletionRequestLookup = {
    pendingFor(tenantId) {
      const request = requests.find(tenantId);
      return request && { askedBy: request.requester_name, askedAt: request.requested_at, reason: request.reason };
    },
  };
  const platformSecrets: PlatformSecrets = {
    reseal: (from, to) => controlPlane.db.write(() => new TwoStepRepository(controlPlane.db).reseal(from, to)),
  };
  // Owner invitations from the console and the CLI are written in the workspace's language and zone.
  controlPlane.workspaceMailSettings = workspaceMailSettings(controlPlane.router);
  // A super admin's rename renames the workspace's own display name too, when it has one.
  controlPlane.workspaceOwnName = workspaceOwnName(controlPlane.router, settingsCopies);
  // The page a suspended workspace's members see is written in its language too.
  controlPlane.closedWorkspaceLanguage = closedWorkspaceLanguage(controlPlane.config.dataDir, controlPlane.tenantSource, controlPlane.changes);
  return Object.assign(controlPlane, {
    members,
    settingsCopies,
    usageSources,
    usageHistory,
    recentDeletions,
    recentImports,
    deletionRequests,
    platformSecrets,
  });
}
