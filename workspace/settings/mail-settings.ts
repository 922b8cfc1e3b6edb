import type { ConnectionRouter } from '../../tenant-runtime/connection-router';
import type { WorkspaceLocale } from '../../core/i18n/workspace-locale';
import { loadTenantSettings } from './tenant-settings';

/**
 * Reads a workspace's language and time zone from its own file, leasing its handle for the read
 * (wired into the control plane in app/, which keeps no copy of them). A file that cannot be
 * opened or read throws: the caller decides what to fall back to.
 */
export function workspaceMailSettings(router: ConnectionRouter): (tenantId: string) => Promise<WorkspaceLocale> {
  return async (tenantId) => {
    const lease = await router.acquire(tenantId);
    try {
      const { language, timeZone } = loadTenantSettings(lease.db, '');
      return { language, timeZone };
    } finally {
      lease.release();
    }
  };
}
