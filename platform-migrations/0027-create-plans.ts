import type { Knex } from 'knex';

const LIMIT_KEYS = [
  'members',
  'pending_invitations',
  'items',
  'storage_bytes',
  'items_published_per_day',
  'csv_rows_per_month',
  'api_requests_per_day',
  'items_created_per_user_per_day',
];
const FEATURE_KEYS = ['csv', 'custom_roles', 'scheduling', 'attachments', 'branding', 'api'];

/**
 * Plans: the platform's policy templates, each a set of limits (null: unlimited) and feature
 * flags, as JSON objects keyed like tenant-runtime/plan-catalogue.ts (keys copied here: a
 * migration never changes with the code). Exactly one plan is the default (a partial unique
 * index); it is seeded unlimited with every feature on, so every tenant keeps what it had.
 * Each tenant has a plan and optional overrides (JSON objects of the keys it changes).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('plans', (t) => {
    t.increments('id');
    t.string('key', 40).notNullable().unique();
    t.string('name', 100).notNullable();
    t.text('limits_json').notNullable();
    t.text('features_json').notNullable();
    t.integer('is_default').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  // Partial index (SQLite and PostgreSQL both have them): at most one row with is_default = 1.
  await knex.schema.raw('create unique index plans_one_default on plans (is_default) where is_default = 1');
  const now = Date.now();
  await knex('plans').insert({
    key: 'default',
    name: 'Default',
    limits_json: JSON.stringify(Object.fromEntries(LIMIT_KEYS.map((key) => [key, null]))),
    features_json: JSON.stringify(Object.fromEntries(FEATURE_KEYS.map((key) => [key, true]))),
    is_default: 1,
    created_at: now,
    updated_at: now,
  });
  await knex.schema.alterTable('tenants', (t) => {
    t.integer('plan_id').nullable().references('plans.id');
    t.text('limit_overrides_json').nullable();
    t.text('feature_overrides_json').nullable();
  });
  await knex('tenants').update({ plan_id: knex('plans').select('id').where({ is_default: 1 }) });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.dropColumn('feature_overrides_json');
    t.dropColumn('limit_overrides_json');
    t.dropColumn('plan_id');
  });
  await knex.schema.dropTable('plans');
}
