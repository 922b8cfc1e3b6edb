import path from 'node:path';
import { TENANT_ID_PATTERN, tenantsRoot } from '../../tenant-runtime/tenant-paths';

/** data/tenants/.provisioning/: where tenant files are built before they are renamed into place. */
export function provisioningRoot(dataDir: string): string {
  return path.join(tenantsRoot(dataDir), '.provisioning');
}

export function provisioningTempDir(dataDir: string, tenantId: string): string {
  if (!TENANT_ID_PATTERN.test(tenantId)) throw new Error('not a tenant id');
  return path.join(provisioningRoot(dataDir), tenantId);
}
