import crypto from 'node:crypto';
import type { Platform } from '../../app/create-platform';
import { hash } from '@node-rs/argon2';
import { provisionDeps, provisionTenant } from '../../control-plane/provisioning/provision-tenant';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../control-plane/users/user-record';

export const TEST_PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | undefined;

/**
 * A user with TEST_PASSWORD, hashed once per test file as argon2id at a low cost: each sign-in
 * verifies it in about 1 ms instead of the 24 the product's cost takes (which its own tests cover).
 */
export async function makeUser(platform: Platform, overrides: { email?: string; name?: string; superAdmin?: boolean } = {}): Promise<UserRecord> {
  cachedHash ??= hash(TEST_PASSWORD, { algorithm: 2, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const suffix = crypto.randomBytes(4).toString('hex');
  return platform.users.insert({
    email: overrides.email ?? `user-${suffix}@example.com`,
    name: overrides.name ?? `User ${suffix}`,
    passwordHash: await cachedHash,
    isSuperAdmin: overrides.superAdmin ?? false,
  });
}

export async function makeTenant(platform: Platform, slug?: string, name?: string): Promise<TenantRecord> {
  const s = slug ?? `tenant-${crypto.randomBytes(4).toString('hex')}`;
  return provisionTenant(provisionDeps(platform), { slug: s, name: name ?? s });
}

export async function addMember(platform: Platform, user: UserRecord, tenant: TenantRecord, roleKey = 'owner'): Promise<void> {
  const role = platform.roles.findPredefined(roleKey);
  if (!role) throw new Error(`no role ${roleKey}`);
  platform.memberships.upsert(user.id, tenant.id, role.id);
}
