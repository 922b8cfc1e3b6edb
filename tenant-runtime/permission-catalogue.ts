import { msg } from '../core/i18n/message';
/** Every permission a tenant route can require, with the sentence shown in the UI. */
export const PERMISSIONS = {
  'tenant.settings.view': msg('See the workspace settings'),
  'tenant.settings.edit': msg('Change the workspace settings, branding and secrets'),
  'tenant.ownership.transfer': msg('Transfer ownership of the workspace'),
  'tenant.delete.request': msg('Ask for the workspace to be deleted'),
  'team.view': msg('See the members of the workspace'),
  'team.invite': msg('Invite people to the workspace'),
  'team.manage': msg("Change members' roles and remove members"),
  'roles.manage': msg('Create, edit and delete custom roles'),
  'content.view': msg('Read content items'),
  'content.create': msg('Create content items'),
  'content.edit': msg('Edit content items and submit them for review'),
  'content.approve': msg('Approve content or ask for changes'),
  'content.publish': msg('Schedule and publish approved content'),
  'audit.view': msg('Read the workspace audit trail'),
  'usage.view': msg('See usage and quotas'),
  'data.export': msg('Export workspace data'),
  'data.import': msg('Import workspace data'),
  'api_tokens.manage': msg("Create and revoke the workspace's API tokens"),
  'webhooks.manage': msg('Add, change and remove webhooks, and see their deliveries'),
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, value);
}
