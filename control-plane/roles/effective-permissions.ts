import { isPermission, type Permission } from './permission-catalogue';

/** A role's permissions as a set; unknown names (from an older release) are dropped. */
export function parsePermissions(json: string): Set<Permission> {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    list = [];
  }
  return new Set((Array.isArray(list) ? list : []).filter((p): p is Permission => typeof p === 'string' && isPermission(p)));
}
