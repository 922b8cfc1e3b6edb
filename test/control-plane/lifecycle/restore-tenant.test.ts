import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { signIn } from '../../support/http-agent';
import { migrationsFolderWith } from '../../support/migrations-folder';
import { createApp } from '../../../app/create-app';
import { archiveTenant } from '../../../control-plane/lifecycle/archive-tenant';
import { restoreTenant } from '../../../control-plane/lifecycle/restore-tenant';
import { finishInterruptedOperations } from '../../../control-plane/lifecycle/finish-pending-operation';
import { CLI_OPERATOR } from '../../../control-plane/lifecycle/operator';
import { recordedTenantMigrations } from '../../../tenant-runtime/tenant-migrator';
import { tenantPaths } from '../../../tenant-runtime/tenant-paths';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../../control-plane/users/user-record';

const NEW_MIGRATION = '0099-create-notes';
const MIGRATION = `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notes', (t) => {
    t.increments('id');
  });
}
`;

describe('restoring a tenant archived before an upgrade', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  let member: UserRecord;
  beforeEach(async () => {
    t = await createTestPlatform({}, { tenantMigrationsDir: migrationsFolderWith(NEW_MIGRATION, MIGRATION) });
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    member = await makeUser(t.platform);
    await addMember(t.platform, member, acme, 'editor');
    await archiveTenant(t.platform, acme.id, { confirm: 'acme' }, CLI_OPERATOR);
    // The archive as the release before NEW_MIGRATION left it: the code has moved on since.
    const db = new BetterSqlite3(tenantPaths(t.dataDir, acme.id, 'archive').database);
    try {
      db.exec('drop table notes');
      db.prepare('delete from tenant_migrations where name = ?').run(NEW_MIGRATION);
      db.pragma('user_version = 0');
    } finally {
      db.close();
    }
    t.platform.tenants.setSchemaVersion(acme.id, '0022-create-usage-counters');
  });
  afterEach(() => t.cleanup());

  const fileMigrations = () => {
    const db = new BetterSqlite3(tenantPaths(t.dataDir, acme.id).database, { readonly: true });
    try {
      return recordedTenantMigrations(db);
    } finally {
      db.close();
    }
  };

  it('migrates it before it comes back, so its members are served at once', async () => {
    const restored = await restoreTenant(t.platform, acme.id, CLI_OPERATOR);

    expect(restored).toMatchObject({ status: 'active', schema_version: NEW_MIGRATION });
    expect(fileMigrations()).toContain(NEW_MIGRATION);
    const page = await (await signIn(createApp(t.platform).app, member.email)).get('/t/acme/items');
    expect(page.status).toBe(200);
    const audit = t.platform.db.get<{ after: string }>("select after from audit_events where tenant_id = ? and action = 'tenant.restore'", [acme.id]);
    expect(JSON.parse(audit?.after ?? '{}')).toMatchObject({ migrated: [NEW_MIGRATION] });
  });

  it('migrates it too when the next start finishes a restore that was cut off', async () => {
    t.platform.tenants.update(acme.id, { pending_operation: 'restore' });

    const finished = await finishInterruptedOperations(t.platform);

    expect(finished).toEqual([{ tenantId: acme.id, slug: 'acme', done: 'finished restoring' }]);
    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'active', schema_version: NEW_MIGRATION });
    expect(fileMigrations()).toContain(NEW_MIGRATION);
  });
});

describe('restoring a tenant archived by a newer version of Tenantry (the code was downgraded since)', () => {
  let t: TestPlatform;
  let acme: TenantRecord;
  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    await archiveTenant(t.platform, acme.id, { confirm: 'acme' }, CLI_OPERATOR);
    // What the newer release's migration left in the archived file.
    const db = new BetterSqlite3(tenantPaths(t.dataDir, acme.id, 'archive').database);
    try {
      db.prepare('insert into tenant_migrations (name, applied_at) values (?, ?)').run(NEW_MIGRATION, Date.now());
    } finally {
      db.close();
    }
  });
  afterEach(() => t.cleanup());

  it('is refused with the reason, and the tenant stays archived with its folder in the archive, never served', async () => {
    await expect(restoreTenant(t.platform, acme.id, CLI_OPERATOR)).rejects.toThrow(
      `Tenant acme was archived by a newer version of Tenantry: its database records migrations this version does not have (${NEW_MIGRATION}). Upgrade first; it stays archived.`,
    );

    expect(t.platform.tenants.findById(acme.id)).toMatchObject({ status: 'archived', pending_operation: null });
    expect(fs.existsSync(tenantPaths(t.dataDir, acme.id, 'archive').database)).toBe(true);
    expect(fs.existsSync(tenantPaths(t.dataDir, acme.id).dir)).toBe(false);
  });
});
