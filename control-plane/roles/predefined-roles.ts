import { msg, nested, type NestedText } from '../../core/i18n/message';
import type { Translate } from '../../core/i18n/translator';
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

/** The predefined roles' names and descriptions as people read them (stored in English, shown translated). */
export const PREDEFINED_ROLE_TEXT: Record<string, { name: string; description: string }> = {
  owner: { name: msg('Owner'), description: msg('Everything, including ownership transfer and tenant deletion.') },
  admin: { name: msg('Admin'), description: msg('Everything but ownership transfer and tenant deletion.') },
  approver: { name: msg('Approver'), description: msg('Views content and approves it or asks for changes.') },
  editor: { name: msg('Editor'), description: msg('Creates and edits content.') },
  viewer: { name: msg('Viewer'), description: msg('Reads everything, changes nothing.') },
};

/** A role's name in the reader's language: a predefined role's is translated, a custom role's is as its admins wrote it. */
export function roleLabel(t: Translate, key: string, storedName: string): string {
  const predefined = Object.hasOwn(PREDEFINED_ROLE_TEXT, key) ? PREDEFINED_ROLE_TEXT[key] : undefined;
  return predefined ? t(predefined.name) : storedName;
}

/** A role's description in the reader's language: a predefined role's is translated, a custom role's is as written. */
export function roleDescriptionLabel(t: Translate, key: string, storedDescription: string): string {
  const predefined = Object.hasOwn(PREDEFINED_ROLE_TEXT, key) ? PREDEFINED_ROLE_TEXT[key] : undefined;
  return predefined ? t(predefined.description) : storedDescription;
}

/** A role's name as a value inside a message: translated for a predefined role, as written for a custom one. */
export function roleNameValue(key: string, storedName: string): string | NestedText {
  return Object.hasOwn(PREDEFINED_ROLE_TEXT, key) ? nested(PREDEFINED_ROLE_TEXT[key].name) : storedName;
}
