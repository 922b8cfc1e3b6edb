import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMigrationSource, migrateInOneTransaction } from '../../../core/db/migration-runner';
import { sqlBuilder } from '../../../core/db/sql-builder';
import { PLATFORM_MIGRATIONS_DIR, PlatformDatabase, migratePlatform } from '../../../control-plane/db/platform-database';

/** A fresh folder holding the platform migrations up to `last` (what an older release shipped). */
function platformMigrationsUpTo(last: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-platform-migrations-'));
  for (const file of fs.readdirSync(PLATFORM_MIGRATIONS_DIR).filter((f) => f.endsWith('.ts') && f.slice(0, 4) <= last))
    fs.copyFileSync(path.join(PLATFORM_MIGRATIONS_DIR, file), path.join(dir, file));
  return dir;
}

describe('migrateInOneTransaction', () => {
  let dataDir: string;
  let folders: string[];
  let db: PlatformDatabase;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-upgrade-'));
    folders = [];
    db = new PlatformDatabase(path.join(dataDir, 'platform.sqlite'));
  });
  afterEach(() => {
    db.close();
    for (const dir of [dataDir, ...folders]) fs.rmSync(dir, { recursive: true, force: true });
  });

  const migrateTo = async (last: string) => {
    const dir = platformMigrationsUpTo(last);
    folders.push(dir);
    await migrateInOneTransaction(sqlBuilder, loadMigrationSource(dir), 'platform_migrations', db.connection());
  };
  const count = (table: string) => (db.connection().prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

  it('upgrades a control plane written before plans without deleting the rows that point at its tenants', async () => {
    await migrateTo('0026');
    const raw = db.connection();
    const now = Date.now();
    raw.prepare("insert into users (id, email, name, password_hash, created_at, updated_at) values ('u1', 'ann@example.com', 'Ann', 'x', ?, ?)").run(now, now);
    raw.prepare("insert into tenants (id, slug, name, status, created_at, updated_at) values ('t1', 'acme', 'Acme', 'active', ?, ?)").run(now, now);
    raw.prepare("insert into roles (tenant_id, key, name, permissions, created_at) values ('t1', 'reviewer', 'Reviewer', '[]', ?)").run(now);
    raw.prepare("insert into memberships (user_id, tenant_id, role_id, created_at, updated_at) values ('u1', 't1', 1, ?, ?)").run(now, now);
    raw
      .prepare(
        "insert into invitations (id, tenant_id, email, role_id, token_hash, expires_at, created_at) values ('i1', 't1', 'bo@example.com', 4, 'h', ?, ?)",
      )
      .run(now + 86_400_000, now);
    raw
      .prepare(
        "insert into api_tokens (id, kind, name, user_id, tenant_id, scopes, token_hash, hint, created_at) values ('k1', 'personal', 'ci', 'u1', 't1', '[]', 'th', 'tnt_…abcd', ?)",
      )
      .run(now);
    raw.prepare("insert into tenant_schedule (tenant_id, next_due_at) values ('t1', ?)").run(now);

    const result = await migratePlatform(db);

    expect(result.applied).toContain('0027-create-plans');
    expect(['memberships', 'invitations', 'api_tokens', 'tenant_schedule'].map(count)).toEqual([1, 1, 1, 1]);
    expect(count("roles where tenant_id = 't1'")).toBe(1);
    expect(raw.prepare("select plan_id from tenants where id = 't1'").get()).toEqual({ plan_id: 1 });
    expect(raw.pragma('foreign_key_check')).toEqual([]);
  });

  it('enforces foreign keys again once the migrations are done', async () => {
    await migrateTo('0026');

    await migratePlatform(db);

    expect(db.connection().pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('rolls back migrations that leave rows pointing at nothing', async () => {
    await migrateTo('0031');
    const dir = platformMigrationsUpTo('0031');
    folders.push(dir);
    fs.writeFileSync(
      path.join(dir, '0099-dangling.ts'),
      "import type { Knex } from 'knex';\nexport async function up(knex: Knex): Promise<void> {\n  await knex('memberships').insert({ user_id: 'nobody', tenant_id: 'nowhere', role_id: 1, created_at: 0, updated_at: 0 });\n}\n",
    );

    await expect(migrateInOneTransaction(sqlBuilder, loadMigrationSource(dir), 'platform_migrations', db.connection())).rejects.toThrow(
      'the migrations left 2 row(s) whose foreign key names no row',
    );

    expect(count('memberships')).toBe(0);
    expect(count("platform_migrations where name = '0099-dangling'")).toBe(0);
    expect(db.connection().pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
