import type { ConnectionRouter } from '../../tenant-runtime/connection-router';
import type { SettingsCopies } from '../workspace-services';
import { forgetBranding } from './branding';
import { loadTenantSettings, saveTenantSettings, type TenantSettings } from './tenant-settings';

/**
 * The workspace's own display name, as a super admin's rename reads and replaces it (wired into
 * the control plane in app/). Read: the name its admins set, or null when it goes by the super
 * admin's. Replace: only a name it has of its own is replaced (none set stays none: the super
 * admin's new name is then the one it goes by), with the settings' revision raised, so a settings
 * form opened before is refused as stale (decision 048). The platform's copies are forgotten
 * before the file's commit and kept after it, as a settings change does (settings-copies.ts): cut
 * off in between, they are read from the file on its next open, never left naming the old name.
 */
export function workspaceOwnName(router: ConnectionRouter, copies: SettingsCopies) {
  return {
    async read(tenantId: string): Promise<string | null> {
      const lease = await router.acquire(tenantId);
      try {
        return loadTenantSettings(lease.db, '').displayName || null;
      } finally {
        lease.release();
      }
    },

    async replace(tenantId: string, name: string): Promise<void> {
      const lease = await router.acquire(tenantId);
      const { db } = lease;
      let unchanged: TenantSettings | undefined;
      try {
        const after = db.write(() => {
          const current = loadTenantSettings(db, '');
          if (!current.displayName || current.displayName === name) return undefined;
          copies.forget(tenantId);
          unchanged = current;
          saveTenantSettings(db, { displayName: name, revision: current.revision + 1 });
          return loadTenantSettings(db, '');
        });
        forgetBranding(db);
        if (after) copies.keep(tenantId, { displayName: after.displayName, language: after.language });
      } catch (error) {
        // Rolled back: the file holds what it held, and the copies say so again.
        if (unchanged) copies.keep(tenantId, { displayName: unchanged.displayName, language: unchanged.language });
        throw error;
      } finally {
        lease.release();
      }
    },
  };
}
