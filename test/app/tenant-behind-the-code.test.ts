import request from 'supertest';
import type { Express } from 'express';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';
import { addMember, makeTenant, makeUser } from '../support/factories';
import { signIn } from '../support/http-agent';
import { migrationsFolderWith, newestRealMigration } from '../support/migrations-folder';
import { withTenantFile } from '../support/tenant-file';
import { bearer, personalToken } from '../support/api-tokens';
import { damage } from '../support/damage';
import { createApp } from '../../app/create-app';
import * as tenantFileCheck from '../../tenant-runtime/tenant-file-check';
import { migrateOneTenant } from '../../control-plane/fleet/migrate-one-tenant';
import type { UserRecord } from '../../control-plane/users/user-record';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

const NEW_MIGRATION = '0099-create-notes';
const MIGRATION = `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notes', (t) => {
    t.increments('id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notes');
}
`;

const INTERNALS = /0099|tenantry tenants migrate|code expects|database at/;
const pageText = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('a workspace whose database is behind the code (its migration failed or has not run)', () => {
  let t: TestPlatform;
  let app: Express;
  let acme: TenantRecord;
  let member: UserRecord;
  let operator: UserRecord;

  beforeEach(async () => {
    t = await createTestPlatform({}, { tenantMigrationsDir: migrationsFolderWith(NEW_MIGRATION, MIGRATION) });
    acme = await makeTenant(t.platform, 'acme', 'Acme');
    member = await makeUser(t.platform);
    await addMember(t.platform, member, acme, 'editor');
    operator = await makeUser(t.platform, { superAdmin: true });
    await addMember(t.platform, operator, acme, 'owner');
    t.platform.router.closeAll();
    // Back one migration, as a fleet migration that failed on it leaves it.
    withTenantFile(t, 'acme', (db) => {
      db.exec('drop table notes');
      db.prepare('delete from tenant_migrations where name = ?').run(NEW_MIGRATION);
      db.pragma('user_version = 0');
    });
    app = createApp(t.platform).app;
  });
  afterEach(() => t.cleanup());

  it('tells a member on its pages that it is being updated and whom to ask, without versions or commands', async () => {
    const res = await (await signIn(app, member.email)).get('/t/acme/items');

    expect(res.status).toBe(503);
    expect(pageText(res.text)).toContain('This workspace is being updated and cannot be used for now.');
    expect(pageText(res.text)).toContain('contact its owner or administrator');
    expect(res.text).not.toMatch(INTERNALS);
  });

  it('gives a member the same plain detail in the REST API problem', async () => {
    const res = await request(app)
      .get('/api/v1/t/acme/items')
      .set(bearer(personalToken(t.platform, member)));

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'tenant_unavailable', detail: expect.stringContaining('is being updated') });
    expect(res.text).not.toMatch(INTERNALS);
  });

  it('shows a super admin the technical detail, on the page and in the problem', async () => {
    const page = await (await signIn(app, operator.email)).get('/t/acme/items');
    const api = await request(app)
      .get('/api/v1/t/acme/items')
      .set(bearer(personalToken(t.platform, operator)));

    expect(page.status).toBe(503);
    expect(pageText(page.text)).toContain(
      `Detail for the people who run this service: its database is at ${newestRealMigration()} and the code expects ${NEW_MIGRATION}: run &#34;tenantry tenants migrate&#34;`,
    );
    expect(api.body.detail).toContain(
      `Detail for the people who run this service: its database is at ${newestRealMigration()} and the code expects ${NEW_MIGRATION}`,
    );
  });

  it('shows a super admin the reason a file is damaged, and a member only that it cannot be opened', async () => {
    damage(t.platform, acme, 'a garbage file');

    const page = await (await signIn(app, operator.email)).get('/t/acme/items');

    expect(page.status).toBe(503);
    expect(pageText(page.text)).toContain('the file is not a database (no SQLite header)');
    const forMember = await (await signIn(app, member.email)).get('/t/acme/items');
    expect(forMember.text).not.toContain('SQLite header');
  });

  it('answers a flood of requests while it waits without opening and checking its file again for each', async () => {
    const agent = await signIn(app, member.email);
    const quickChecks = jest.spyOn(tenantFileCheck, 'checkIntegrity');
    const statuses: number[] = [];

    for (let i = 0; i < 10; i++) statuses.push((await agent.get('/t/acme/items')).status);
    statuses.push(
      (
        await request(app)
          .get('/api/v1/t/acme/items')
          .set(bearer(personalToken(t.platform, member)))
      ).status,
    );

    expect(statuses).toEqual(Array(11).fill(503));
    expect(quickChecks).toHaveBeenCalledTimes(1);
  });

  it('serves again on the first request after its file is migrated', async () => {
    const agent = await signIn(app, member.email);
    expect((await agent.get('/t/acme/items')).status).toBe(503);

    await migrateOneTenant(t.dataDir, acme.id, t.platform.tenantSource);

    expect((await agent.get('/t/acme/items')).status).toBe(200);
  });

  it('reports its file damaged on the first request after it is damaged while waiting, never as behind', async () => {
    const agent = await signIn(app, operator.email);
    expect((await agent.get('/t/acme/items')).status).toBe(503);

    damage(t.platform, acme, 'a truncated file');
    const page = await agent.get('/t/acme/items');

    expect(page.status).toBe(503);
    expect(pageText(page.text)).toContain('the database file is truncated');
    expect(t.platform.tenants.findById(acme.id)?.status).toBe('damaged');
  });
});
