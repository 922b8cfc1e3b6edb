import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { SettingsCopies } from '../workspace-services';
import { forgetBranding } from './branding';
import type { TenantSettings } from './tenant-settings';

/**
 * A settings write that the platform's copies of the display name and language follow
 * (control-plane/tenants/settings-copies.ts). `change` runs in one write transaction and calls
 * `forgetCopies(current)` before it saves either of them: the copies are then unknown until the
 * commit (cut off in between, they are read from the file on its next open, never left naming what
 * the file does not), kept from `keptAfter(result)` after it, and set back to `current` if the write
 * rolls back (a full disk, an I/O error). The branding cache is dropped after every write.
 */
export function writeFollowedByCopies<T>(
  db: TenantDatabase,
  tenantId: string,
  copies: SettingsCopies,
  change: (forgetCopies: (current: TenantSettings) => void) => T,
  keptAfter: (result: T) => TenantSettings | undefined,
): T {
  let unchanged: TenantSettings | undefined;
  const forgetCopies = (current: TenantSettings) => {
    copies.forget(tenantId);
    unchanged = current;
  };
  let result: T;
  try {
    result = db.write(() => change(forgetCopies));
  } catch (error) {
    if (unchanged) copies.keep(tenantId, { displayName: unchanged.displayName, language: unchanged.language });
    throw error;
  }
  forgetBranding(db);
  const after = unchanged && keptAfter(result);
  if (after) copies.keep(tenantId, { displayName: after.displayName, language: after.language });
  return result;
}
