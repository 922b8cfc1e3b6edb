import type { ConnectionRouter } from '../../tenant-runtime/connection-router';
import type { SettingsCopies } from '../workspace-services';
import { writeFollowedByCopies } from './copied-settings-write';
import { loadTenantSettings, saveTenantSettings } from './tenant-settings';

/**
 * The workspace's own display name, as a super admin's rename reads and replaces it (wired into
 * the control plane in app/). Read: the name its admins set, or null when it goes by the super
 * admin's. Replace: only a name it has of its own is replaced (none set stays none: the super
 * admin's new name is then the one it goes by), and only while it is still the name the rename
 * read (`from`: one its admins set since stays theirs), with the settings' revision raised, so a settings
 * form opened before is refused as stale (decision 048). The platform's copies follow the
 * file's commit as a settings change's do (writeFollowedByCopies).
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

    async replace(tenantId: string, name: string, from: string): Promise<void> {
      const lease = await router.acquire(tenantId);
      const { db } = lease;
      try {
        writeFollowedByCopies(
          db,
          tenantId,
          copies,
          (forgetCopies) => {
            const current = loadTenantSettings(db, '');
            if (current.displayName !== from || from === name) return undefined;
            forgetCopies(current);
            saveTenantSettings(db, { displayName: name, revision: current.revision + 1 });
            return loadTenantSettings(db, '');
          },
          (after) => after,
        );
      } finally {
        lease.release();
      }
    },
  };
}
