/** Every permission a tenant route can require, with the sentence shown in the UI. */
export const PERMISSIONS = {
  'tenant.settings.view': 'See the workspace settings',
  'tenant.settings.edit': 'Change the workspace settings, branding and secrets',
  'tenant.ownership.transfer': 'Transfer ownership of the workspace',
  'tenant.delete.request': 'Ask for the workspace to be deleted',
  'team.view': 'See the members of the workspace',
  'team.invite': 'Invite people to the workspace',
  'team.manage': "Change members' roles and remove members",
  'roles.manage': 'Create, edit and delete custom roles',
  'content.view': 'Read content items',
  'content.create': 'Create content items',
  'content.edit': 'Edit content items and submit them for review',
  'content.approve': 'Approve content or ask for changes',
  'content.publish': 'Schedule and publish approved content',
  'audit.view': 'Read the workspace audit trail',
  'usage.view': 'See usage and quotas',
  'data.export': 'Export workspace data',
  'data.import': 'Import workspace data',
  'api_tokens.manage': "Create and revoke the workspace's API tokens",
  'webhooks.manage': 'Add, change and remove webhooks, and see their deliveries',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, value);
}
