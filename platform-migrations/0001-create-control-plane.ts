import type { Knex } from 'knex';

/** The control plane: who may reach which tenant file. Tenant domain data never lives here. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 32).primary();
    t.string('email', 320).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('password_hash', 255).notNullable();
    t.boolean('is_super_admin').notNullable().defaultTo(false);
    t.string('status', 16).notNullable().defaultTo('active');
    t.string('default_tenant_id', 32).nullable();
    t.string('last_tenant_id', 32).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('tenants', (t) => {
    t.string('id', 32).primary();
    t.string('slug', 40).notNullable().unique();
    t.string('name', 200).notNullable();
    // provisioning | active | suspended | failed | archived
    t.string('status', 16).notNullable();
    t.string('schema_version', 200).nullable();
    t.string('placement', 64).notNullable().defaultTo('local');
    t.text('failure_reason').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['status']);
  });

  await knex.schema.createTable('roles', (t) => {
    t.increments('id');
    // null tenant: a predefined role shared by every tenant
    t.string('tenant_id', 32).nullable().references('tenants.id').onDelete('CASCADE');
    t.string('key', 64).notNullable();
    t.string('name', 100).notNullable();
    t.string('description', 500).notNullable().defaultTo('');
    t.integer('parent_role_id').unsigned().nullable().references('roles.id');
    t.boolean('is_predefined').notNullable().defaultTo(false);
    t.integer('rank').notNullable().defaultTo(0);
    t.text('permissions').notNullable().defaultTo('[]');
    t.bigInteger('created_at').notNullable();
    t.unique(['tenant_id', 'key']);
  });

  await knex.schema.createTable('memberships', (t) => {
    t.increments('id');
    t.string('user_id', 32).notNullable().references('users.id').onDelete('CASCADE');
    t.string('tenant_id', 32).notNullable().references('tenants.id').onDelete('CASCADE');
    t.integer('role_id').unsigned().notNullable().references('roles.id');
    // active | removed
    t.string('status', 16).notNullable().defaultTo('active');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['user_id', 'tenant_id']);
    t.index(['tenant_id', 'status']);
  });

  await knex.schema.createTable('invitations', (t) => {
    t.string('id', 32).primary();
    t.string('tenant_id', 32).notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('email', 320).notNullable();
    t.integer('role_id').unsigned().notNullable().references('roles.id');
    t.string('token_hash', 64).notNullable().unique();
    // pending | accepted | expired | revoked
    t.string('state', 16).notNullable().defaultTo('pending');
    t.string('invited_by', 32).nullable().references('users.id').onDelete('SET NULL');
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('accepted_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.index(['tenant_id', 'state']);
    t.index(['tenant_id', 'email']);
  });

  await knex.schema.createTable('sessions', (t) => {
    t.string('sid', 128).primary();
    t.string('user_id', 32).nullable().references('users.id').onDelete('CASCADE');
    t.text('data').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.string('user_agent', 500).nullable();
    t.string('ip', 64).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_seen_at').notNullable();
    t.index(['user_id']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('audit_events', (t) => {
    t.increments('id');
    t.string('tenant_id', 32).nullable();
    t.string('actor_user_id', 32).nullable();
    t.string('action', 64).notNullable();
    t.string('target_type', 32).nullable();
    t.string('target_id', 64).nullable();
    t.text('before').nullable();
    t.text('after').nullable();
    t.string('ip', 64).nullable();
    t.string('user_agent', 500).nullable();
    t.bigInteger('created_at').notNullable();
    t.index(['tenant_id', 'created_at']);
    t.index(['action']);
  });

  // Fleet migration runs: per-tenant outcome so a run can be inspected and resumed.
  await knex.schema.createTable('fleet_runs', (t) => {
    t.increments('id');
    t.string('target_version', 200).nullable();
    // running | succeeded | failed
    t.string('status', 16).notNullable();
    t.integer('concurrency').notNullable().defaultTo(1);
    t.bigInteger('started_at').notNullable();
    t.bigInteger('finished_at').nullable();
  });

  await knex.schema.createTable('fleet_run_tenants', (t) => {
    t.integer('run_id').unsigned().notNullable().references('fleet_runs.id').onDelete('CASCADE');
    t.string('tenant_id', 32).notNullable().references('tenants.id').onDelete('CASCADE');
    // migrated | up_to_date | failed
    t.string('outcome', 16).notNullable();
    t.string('from_version', 200).nullable();
    t.string('to_version', 200).nullable();
    t.text('error').nullable();
    t.bigInteger('finished_at').notNullable();
    t.primary(['run_id', 'tenant_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['fleet_run_tenants', 'fleet_runs', 'audit_events', 'sessions', 'invitations', 'memberships', 'roles', 'tenants', 'users']) {
    await knex.schema.dropTableIfExists(table);
  }
}
