import crypto from 'node:crypto';
import type { PlatformDb } from '../db/open-platform-db';
import type { UserRecord } from './user-record';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class UserRepository {
  constructor(private readonly db: PlatformDb) {}

  findById(id: string): UserRecord | undefined {
    return this.db.prepare('select * from users where id = ?').get(id) as UserRecord | undefined;
  }

  findByEmail(email: string): UserRecord | undefined {
    return this.db.prepare('select * from users where email = ?').get(normaliseEmail(email)) as UserRecord | undefined;
  }

  count(): number {
    return (this.db.prepare('select count(*) as n from users').get() as { n: number }).n;
  }

  async insert(input: { email: string; name: string; passwordHash: string; isSuperAdmin: boolean }): Promise<UserRecord> {
    const now = Date.now();
    const row = {
      id: 'u' + crypto.randomBytes(12).toString('hex'),
      email: normaliseEmail(input.email),
      name: input.name,
      password_hash: input.passwordHash,
      is_super_admin: input.isSuperAdmin,
      status: 'active',
      created_at: now,
      updated_at: now,
    };
    await this.db.knex('users').insert(row);
    return this.findById(row.id) as UserRecord;
  }

  async update(id: string, changes: Partial<Pick<UserRecord, 'name' | 'password_hash' | 'last_tenant_id' | 'default_tenant_id'>>): Promise<void> {
    await this.db.knex('users').where({ id }).update({ ...changes, updated_at: Date.now() });
  }
}
