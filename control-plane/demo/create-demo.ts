import crypto from 'node:crypto';
import type { ControlPlane } from '../control-plane';
import { ConflictError, ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { slugSchema } from '../../tenant-runtime/slug-rules';
import { z } from 'zod';
import { hashPassword } from '../auth/password-hasher';
import { provisionDeps, provisionTenant } from '../provisioning/provision-tenant';
import type { TenantRecord } from '../tenants/tenant-record';
import type { DemoContentSeeder, DemoMember, SeededContent } from './demo-content-seeder';
import { DemoFixtures } from './demo-fixtures';
import { DEMO_PEOPLE, demoEmail } from './demo-people';
import { isMade, removeDemo, sweepDemoLeftovers } from './remove-demo';

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  roleKey: string;
  /** Random, shown once by the command, stored only as its hash. */
  password: string;
}

export interface CreatedDemo {
  tenant: TenantRecord;
  users: DemoUser[];
  content: SeededContent;
  reset: boolean;
}

const demoOptionsSchema = z.object({ slug: slugSchema, reset: z.boolean() });

/** 18 random bytes: 24 characters, above the 12-character minimum and never guessable. */
function randomPassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/**
 * `tenantry demo`: a demo tenant with one user per predefined role (random passwords, returned
 * once) and sample content. Refused when a demo exists (unless `reset`, which removes it first)
 * or when its slug or addresses belong to something that is not the demo.
 */
export async function createDemo(platform: ControlPlane, seed: DemoContentSeeder, options: { slug: string; reset: boolean }): Promise<CreatedDemo> {
  const { slug, reset } = parseInput(demoOptionsSchema, options);
  const fixtures = new DemoFixtures(platform.db);
  if (reset) removeDemo(platform, null);
  else sweepDemoLeftovers(platform);
  const existing = fixtures.list('tenant').find((f) => isMade(platform.tenants.findById(f.id)?.status));
  if (existing)
    throw new ConflictError(`A demo tenant already exists (${existing.label}). Run "tenantry demo --reset" to restore it as new.`, { slug: existing.label });
  const holder = platform.tenants.findBySlug(slug);
  if (holder)
    throw ValidationError.single(
      'slug',
      holder.status === 'provisioning' || holder.status === 'failed'
        ? `"${slug}" is held by a tenant left ${holder.status}; clear it first (tenantry doctor --fix) or choose another`
        : `"${slug}" belongs to a tenant that is not the demo; choose another`,
    );
  const people = DEMO_PEOPLE.map((p) => ({ ...p, email: demoEmail(p.roleKey, slug), password: randomPassword() }));
  const taken = people.find((p) => platform.users.findByEmail(p.email));
  if (taken) throw ValidationError.single('slug', `gives the address ${taken.email}, which belongs to an account that is not the demo's`);

  const hashed = await Promise.all(people.map(async (p) => ({ ...p, hash: await hashPassword(p.password) })));
  const users: DemoUser[] = platform.db.write(() =>
    hashed.map((p) => {
      const user = platform.users.insert({ email: p.email, name: p.name, passwordHash: p.hash, isSuperAdmin: false });
      fixtures.add('user', user.id, p.roleKey);
      return { id: user.id, email: user.email, name: user.name, roleKey: p.roleKey, password: p.password };
    }),
  );

  // Its members, their audit records and the fixture record land in the transaction that makes it
  // active; until then the slug is recorded, so a run killed half-way is finished by the next.
  fixtures.add('slug', slug);
  const activate = (tenant: Pick<TenantRecord, 'id' | 'slug' | 'name'>) => {
    fixtures.add('tenant', tenant.id, tenant.slug);
    fixtures.remove('slug', slug);
    platform.audit.record({ action: 'demo.create', tenantId: tenant.id, targetType: 'tenant', targetId: tenant.id, after: { slug: tenant.slug, reset } });
    for (const user of users) {
      const role = platform.roles.findPredefined(user.roleKey);
      if (!role) throw new Error(`predefined role ${user.roleKey} is missing`);
      platform.memberships.upsert(user.id, tenant.id, role.id);
    }
  };
  const tenant = await provisionTenant(provisionDeps(platform, { activate }), { slug, name: 'Demo Workspace' });

  const members: DemoMember[] = users.map((u) => {
    const grant = platform.access.grant(u.id, tenant.id);
    if (!grant) throw new Error(`demo member ${u.email} has no membership`);
    return { id: u.id, name: u.name, roleKey: u.roleKey, permissions: grant.permissions };
  });
  const lease = await platform.router.acquire(tenant.id);
  let content: SeededContent;
  try {
    content = seed(lease.db, members);
  } finally {
    lease.release();
  }
  if (content.nextDueAt !== null) platform.scheduleHints.noteDue(tenant.id, content.nextDueAt);
  return { tenant, users, content, reset };
}
