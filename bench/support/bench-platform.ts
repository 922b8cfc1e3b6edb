import { loadConfig } from '../../core/config/load-config';
import { DEFAULT_TENANT_CACHE_SIZE } from '../../core/config/config-schema';
import type { Express } from 'express';
import { createApp } from '../../app/create-app';
import { createPlatform, type Platform } from '../../app/create-platform';
import { createLogger } from '../../core/logging/logger';
import { hash } from '@node-rs/argon2';
import { hashPassword } from '../../control-plane/auth/password-hasher';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

export const BENCH_PASSWORD = 'bench-password-1234';

export interface BenchPlatformOptions {
  cacheSize?: number;
  tenantMigrationsDir?: string;
  /** API_RATE_LIMIT: requests a minute per token. */
  apiRateLimit?: number;
}

/**
 * A REST API rate limit no benchmark's load reaches: the limiter still counts and checks every
 * request, but never refuses one, so a row measures the read it names. (The setting's own
 * maximum, 100,000 a minute, is reached in a minute of load on a fast machine: 10 connections at
 * 6,000 requests a second.) Set on the loaded configuration, past the variable's validation.
 */
export const UNREACHED_API_RATE_LIMIT = 1_000_000_000;

/** A platform on a bench data dir, silent, with the handle cap under test. */
export async function openBenchPlatform(dataDir: string, options: BenchPlatformOptions = {}): Promise<Platform> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    TENANT_CACHE_SIZE: String(options.cacheSize ?? DEFAULT_TENANT_CACHE_SIZE),
  });
  if (options.apiRateLimit !== undefined) config.apiRateLimit = options.apiRateLimit;
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

export interface BenchMember {
  id: string;
  email: string;
}

/**
 * One member (owner) per tenant, for benchmarks that sign in thousands of users: every user and
 * membership in one transaction, all with one password hash made with argon2id's smallest cost
 * (sign-in verifies against the hash's own parameters, so 10,000 sign-ins take seconds instead of
 * minutes; sign-in is set-up here, never timed). Returns each tenant's member (user id and email), in order.
 */
export async function createMembers(platform: Platform, tenants: TenantRecord[], prefix: string): Promise<BenchMember[]> {
  const passwordHash = await hash(BENCH_PASSWORD, { algorithm: 2, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const owner = platform.roles.findPredefined('owner');
  if (!owner) throw new Error('predefined owner role is missing');
  const emails = tenants.map((_, i) => `${prefix}-${i}@bench.test`);
  return platform.db.write(() =>
    tenants.map((tenant, i) => {
      const user = platform.users.insert({ email: emails[i], name: `Member ${i}`, passwordHash, isSuperAdmin: false });
      platform.memberships.upsert(user.id, tenant.id, owner.id);
      return { id: user.id, email: emails[i] };
    }),
  );
}

/** The product's app for an HTTP benchmark: the sign-in limits raised, as no benchmark measures them. */
export function benchApp(platform: Platform): Express {
  return createApp(platform, { loginLimits: { perIp: 1e6, freeFailures: 1e6 } }).app;
}
