import crypto from 'node:crypto';
import type { PlatformDatabase } from '../db/platform-database';
import type { UserRecord } from './user-record';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

type UserChanges = Partial<Pick<UserRecord, 'name' | 'password_hash' | 'last_tenant_id' | 'default_tenant_id' | 'language'>>;

export class UserRepository {
  constructor(private readonly db: PlatformDatabase) {}

  findById(id: string): UserRecord | undefined {
    return this.db.get<UserRecord>('select * from users where id = ?', [id]);
  }

  /** What a request acting as the user needs (an API token's user, read on every request): a narrower read than the whole row. */
  findActing(id: string): Pick<UserRecord, 'id' | 'email' | 'name' | 'is_super_admin' | 'language' | 'status'> | undefined {
    return this.db.get('select id, email, name, is_super_admin, language, status from users where id = ?', [id]);
  }

  /** The super admins whose account is active: who hears of what the console must act on (a workspace asking to be deleted). */
  listActiveSuperAdmins(): Array<Pick<UserRecord, 'id' | 'email' | 'name' | 'language'>> {
    return this.db.all("select id, email, name, language from users where is_super_admin = 1 and status = 'active' order by id");
  }

  findByEmail(email: string): UserRecord | undefined {
    return this.db.get<UserRecord>('select * from users where email = ?', [normaliseEmail(email)]);
  }

  count(): number {
    return (this.db.get<{ n: number }>('select count(*) as n from users') as { n: number }).n;
  }

  insert(input: { email: string; name: string; passwordHash: string; isSuperAdmin: boolean }): UserRecord {
    const now = Date.now();
    const id = 'u' + crypto.randomBytes(12).toString('hex');
    this.db.run("insert into users (id, email, name, password_hash, is_super_admin, status, created_at, updated_at) values (?, ?, ?, ?, ?, 'active', ?, ?)", [
      id,
      normaliseEmail(input.email),
      input.name,
      input.passwordHash,
      input.isSuperAdmin ? 1 : 0,
      now,
      now,
    ]);
    return this.findById(id) as UserRecord;
  }

  /** active | disabled: a disabled user cannot sign in and is signed out at their next request. */
  setStatus(id: string, status: 'active' | 'disabled'): boolean {
    return this.db.run('update users set status = ?, updated_at = ? where id = ? and status <> ?', [status, Date.now(), id, status]).changes === 1;
  }

  /** Removes the row; memberships, sessions and grants go with it (foreign keys), audit rows keep the id. */
  delete(id: string): boolean {
    return this.db.run('delete from users where id = ?', [id]).changes === 1;
  }

  /** Sets the account's address, normalised as sign-in looks it up; the column's uniqueness is the last guard. */
  changeEmail(id: string, email: string): boolean {
    return this.db.run('update users set email = ?, updated_at = ? where id = ?', [normaliseEmail(email), Date.now(), id]).changes === 1;
  }

  update(id: string, changes: UserChanges): void {
    const columns = Object.keys(changes) as Array<keyof UserChanges>;
    if (!columns.length) return;
    this.db.run(`update users set ${columns.map((c) => `${c} = ?`).join(', ')}, updated_at = ? where id = ?`, [
      ...columns.map((c) => changes[c] ?? null),
      Date.now(),
      id,
    ]);
  }
}
