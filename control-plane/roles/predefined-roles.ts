import { ALL_PERMISSIONS, type Permission } from '../../tenant-runtime/permission-catalogue';

const OWNER_ONLY: Permission[] = ['tenant.ownership.transfer', 'tenant.delete.request'];
const READ: Permission[] = ['tenant.settings.view', 'team.view', 'content.view', 'usage.view'];

/** The permissions of the predefined roles live in code, the same for every tenant. */
export const PREDEFINED_ROLE_PERMISSIONS: Record<string, Permission[]> = {
  owner: [...ALL_PERMISSIONS],
  admin: ALL_PERMISSIONS.filter((p) => !OWNER_ONLY.includes(p)),
  approver: [...READ, 'content.approve'],
  editor: [...READ, 'content.create', 'content.edit'],
  viewer: [...READ],
};
