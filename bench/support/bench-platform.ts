import { loadConfig } from '../../core/config/load-config';
import { createPlatform, type Platform } from '../../app/create-platform';
import { createLogger } from '../../core/logging/logger';
import { hashPassword } from '../../control-plane/auth/password-hasher';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

export const BENCH_PASSWORD = 'bench-password-1234';

export interface BenchPlatformOptions {
  cacheSize?: number;
  tenantMigrationsDir?: string;
  /** API_RATE_LIMIT: requests a minute per token. */
  apiRateLimit?: number;
}

/** A platform on a bench data dir, silent, with the handle cap under test. */
export async function openBenchPlatform(dataDir: string, options: BenchPlatformOptions = {}): Promise<Platform> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    TENANT_CACHE_SIZE: String(options.cacheSize ?? 256),
    API_RATE_LIMIT: String(options.apiRateLimit ?? 600),
  });
  return createPlatform(config, { logger: createLogger('silent'), tenantMigrationsDir: options.tenantMigrationsDir });
}

/** Zero-padded so that slug order (the fleet's order) is creation order. */
export function benchSlug(index: number): string {
  return `bench-${String(index).padStart(6, '0')}`;
}

/** A user who owns every given tenant, through the same repositories the product uses. */
export async function createOwner(platform: Platform, email: string, tenants: TenantRecord[]): Promise<string> {
  const user = await platform.users.insert({ email, name: 'Bench Owner', passwordHash: await hashPassword(BENCH_PASSWORD), isSuperAdmin: false });
  const owner = platform.roles.findPredefined('owner');
  if (!owner) throw new Error('predefined owner role is missing');
  platform.db.write(() => {
    for (const tenant of tenants) platform.memberships.upsert(user.id, tenant.id, owner.id);
  });
  return user.id;
}
