import type { Knex } from 'knex';

/**
 * A tenant's `mail_schedule` hint also comes when its workflow mails that ended unsent (failed,
 * dropped, unsure) are due to be deleted, 30 days on (decision 054), so a workspace that stops
 * sending mail has them deleted too: `waiting_since` becomes nullable, null when no mail waits to
 * be sent and the hint is only for that deletion (`tenantry doctor` names no such tenant). SQLite
 * cannot drop a NOT NULL, so the table is made again.
 *
 * Tenants whose file has the mail queue (tenant migration 0024) and no hint get one, spread over
 * the day after the upgrade (a minute apart by row, so a large fleet's visits do not crowd out the
 * retries of real mails): each is visited once, deleting what ended over 30 days ago and leaving
 * the hint its mails call for, or none.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(table('mail_schedule_0043', 'null'));
  await knex.raw('insert into mail_schedule_0043 (tenant_id, next_due_at, waiting_since) select tenant_id, next_due_at, waiting_since from mail_schedule');
  await knex.raw(
    `insert into mail_schedule_0043 (tenant_id, next_due_at, waiting_since)
       select id, ? + (rowid % 1440) * 60000, null from tenants
        where status in ('active', 'suspended', 'maintenance', 'damaged', 'archived') and schema_version >= '0024'
          and id not in (select tenant_id from mail_schedule)`,
    [Date.now()],
  );
  await knex.schema.dropTable('mail_schedule');
  await knex.schema.renameTable('mail_schedule_0043', 'mail_schedule');
  await knex.schema.alterTable('mail_schedule', (t) => t.index(['next_due_at'], 'mail_schedule_next_due_at_index'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(table('mail_schedule_0040', 'not null'));
  await knex.raw(
    'insert into mail_schedule_0040 (tenant_id, next_due_at, waiting_since) select tenant_id, next_due_at, waiting_since from mail_schedule where waiting_since is not null',
  );
  await knex.schema.dropTable('mail_schedule');
  await knex.schema.renameTable('mail_schedule_0040', 'mail_schedule');
  await knex.schema.alterTable('mail_schedule', (t) => t.index(['next_due_at'], 'mail_schedule_next_due_at_index'));
}

/** The table as 0040 made it, under another name until the old one is dropped, with `waiting_since` null or not. */
function table(name: string, waitingSince: 'null' | 'not null'): string {
  return `create table \`${name}\` (\`tenant_id\` varchar(32), \`next_due_at\` bigint not null, \`waiting_since\` bigint ${waitingSince},
    foreign key(\`tenant_id\`) references \`tenants\`(\`id\`) on delete CASCADE, primary key (\`tenant_id\`))`;
}
