import type { PlatformDatabase } from '../db/platform-database';

/** `slug`: a demo tenant being provisioned, named by its slug until it has an id. */
export type FixtureKind = 'tenant' | 'user' | 'slug';

export interface FixtureRow {
  kind: FixtureKind;
  id: string;
  label: string;
}

/** A demo user who may be signed in with one click, with their role in the demo tenant. */
export interface DemoLoginUser {
  id: string;
  email: string;
  name: string;
  role_name: string;
  slug: string;
}

/** The `demo_fixtures` table: what `tenantry demo` made, so only that is ever reset or offered for one-click sign-in. */
export class DemoFixtures {
  constructor(private readonly db: PlatformDatabase) {}

  add(kind: FixtureKind, id: string, label = ''): void {
    this.db.run('insert into demo_fixtures (kind, id, label, created_at) values (?, ?, ?, ?) on conflict (kind, id) do nothing', [kind, id, label, Date.now()]);
  }

  list(kind: FixtureKind): FixtureRow[] {
    return this.db.all<FixtureRow>('select kind, id, label from demo_fixtures where kind = ? order by created_at, id', [kind]);
  }

  remove(kind: FixtureKind, id: string): void {
    this.db.run('delete from demo_fixtures where kind = ? and id = ?', [kind, id]);
  }

  isDemoUser(userId: string): boolean {
    return Boolean(this.db.get("select 1 from demo_fixtures where kind = 'user' and id = ?", [userId]));
  }

  /** Active demo users with their role in a live demo tenant, highest role first. */
  loginUsers(): DemoLoginUser[] {
    return this.db.all<DemoLoginUser>(
      `select u.id, u.email, u.name, r.name as role_name, t.slug
         from demo_fixtures fu join users u on u.id = fu.id
         join memberships m on m.user_id = u.id and m.status = 'active'
         join demo_fixtures ft on ft.kind = 'tenant' and ft.id = m.tenant_id
         join tenants t on t.id = m.tenant_id and t.status = 'active'
         join roles r on r.id = m.role_id
        where fu.kind = 'user' and u.status = 'active' and u.is_super_admin = 0
        order by r.rank desc, u.name`,
    );
  }
}
