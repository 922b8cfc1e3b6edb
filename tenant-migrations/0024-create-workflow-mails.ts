import type { Knex } from 'knex';

/**
 * Workflow mails (review requested, item approved, changes requested) queued in the transaction of
 * the step that calls for them, one row per recipient (docs/decisions/054-workflow-mail-queue.md):
 * `pending` rows are due at `next_attempt_at`; a send takes its row first (`sending`, with the time
 * it was taken), then deletes it once sent, or puts it back with a later time, or marks it `failed`
 * after the last attempt. A row a stopped process left `sending` is never sent again (`unsure`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('workflow_mails', (t) => {
    t.increments('id');
    t.string('kind', 32).notNullable();
    t.string('user_id', 40).notNullable();
    // The prepared mail (messages translated when sent, in the recipient's language then).
    t.text('mail').notNullable();
    // pending | sending | failed | dropped | unsure (a sent mail's row is deleted)
    t.string('state', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_at').nullable();
    t.bigInteger('claimed_at').nullable();
    t.string('last_error', 300).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('finished_at').nullable();
    t.index(['state', 'next_attempt_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('workflow_mails');
}
