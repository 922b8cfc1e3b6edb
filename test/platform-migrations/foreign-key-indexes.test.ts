import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { templateDatabases, unindexedForeignKeys } from '../support/foreign-key-indexes';
import * as foreignKeyIndexes from '../../platform-migrations/0037-foreign-key-indexes';

/**
 * Foreign keys left without an index on their child columns, on purpose. Each costs a read of the
 * whole child table only when its parent row is deleted or its key changed.
 */
const WITHOUT_INDEX: Record<string, string> = {
  // No plan is ever deleted nor its id changed (plans are created and edited only), and the plan
  // counts read every live tenant anyway: an index would cost each tenant insert and plan change.
  'tenants(plan_id) -> plans(id)': 'no plan is deleted',
};

describe('the control plane schema', () => {
  it('has an index on the child columns of every foreign key but the ones left without on purpose', async () => {
    const { platform } = await templateDatabases();

    expect(unindexedForeignKeys(platform)).toEqual(Object.keys(WITHOUT_INDEX).sort());
  });

  describe('migration 0037', () => {
    let dir: string;
    let knex: Knex;
    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-fk-'));
      fs.copyFileSync((await templateDatabases()).platform, path.join(dir, 'platform.sqlite'));
      knex = knexFactory({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'platform.sqlite') }, useNullAsDefault: true });
    });
    afterEach(async () => {
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const unindexed = () => unindexedForeignKeys(path.join(dir, 'platform.sqlite'));

    it('is undone by dropping the indexes it made, and made again by its up', async () => {
      await foreignKeyIndexes.down(knex);
      expect(unindexed()).toEqual([
        'access_grants(tenant_id) -> tenants(id)',
        'api_tokens(created_by) -> users(id)',
        'fleet_run_tenants(tenant_id) -> tenants(id)',
        'invitations(invited_by) -> users(id)',
        'invitations(role_id) -> roles(id)',
        'memberships(role_id) -> roles(id)',
        'roles(parent_role_id) -> roles(id)',
        'tenants(plan_id) -> plans(id)',
      ]);

      await foreignKeyIndexes.up(knex);
      expect(unindexed()).toEqual(Object.keys(WITHOUT_INDEX));
    });
  });
});
