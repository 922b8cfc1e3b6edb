import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { makeTenant } from '../../support/factories';
import { fillTenant } from '../../support/tenant-data';
import { migrationsFolderWith } from '../../support/migrations-folder';
import { exportTenant } from '../../../control-plane/transfer/export-tenant';
import { importTenant } from '../../../control-plane/transfer/import-tenant';

const NEW = '0099-items-gain-a-summary';
const MIGRATION = `import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => t.string('summary', 200).nullable());
}
`;

/** Two deployments: one at the product's migrations, one a version ahead. */
describe('importing data of another version', () => {
  let current: TestPlatform;
  let newer: TestPlatform;
  let dir: string;

  beforeAll(async () => {
    current = await createTestPlatform();
    newer = await createTestPlatform({}, { tenantMigrationsDir: migrationsFolderWith(NEW, MIGRATION) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-versions-'));
  });
  afterAll(async () => {
    await current.cleanup();
    await newer.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("migrates an export of an older version after checking it against that version's schema", async () => {
    const old = await makeTenant(current.platform, 'old');
    await fillTenant(current, old);
    const file = path.join(dir, 'old.tar.gz');
    await exportTenant(current.platform, { slug: 'old', out: file, actorUserId: null });

    const result = await importTenant(newer.platform, { file, slug: 'upgraded', actorUserId: null });

    expect(result.migrated).toEqual([NEW]);
    expect(result.tenant).toMatchObject({ status: 'active', schema_version: NEW });
  });

  it('refuses an export of a newer version, naming the migrations it lacks', async () => {
    await makeTenant(newer.platform, 'ahead');
    const file = path.join(dir, 'ahead.tar.gz');
    await exportTenant(newer.platform, { slug: 'ahead', out: file, actorUserId: null });

    await expect(importTenant(current.platform, { file, slug: 'ahead', actorUserId: null })).rejects.toThrow(
      `the database records migrations this version of Tenantry does not have (${NEW}): upgrade first`,
    );
    expect(current.platform.tenants.findBySlug('ahead')).toBeUndefined();
  });
});
