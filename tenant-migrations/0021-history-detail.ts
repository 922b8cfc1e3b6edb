import type { Knex } from 'knex';

/**
 * An item's history keeps what the product says about a step apart from what a member wrote:
 * `detail` holds the product's words as a message (its English text and values, shown in each
 * reader's language), `note` only the member's own words. Rows written before are split here:
 * a note that is one of the product's texts moves to `detail`.
 */
const FIXED = ['Content changed; approvals reset', 'Content changed', 'Planned time changed', 'Published on schedule'];
const SEPARATOR = '\u0000';
const message = (key: string, params?: Record<string, string | number>) => (params ? `${key}${SEPARATOR}${JSON.stringify(params)}` : key);

function split(note: string): { detail: string; note: string | null } | undefined {
  if (FIXED.includes(note)) return { detail: note, note: null };
  const approval = /^Approval (\d+) of (\d+)(?:: ([\s\S]*))?$/.exec(note);
  if (approval)
    return { detail: message('Approval {{count}} of {{required}}', { count: Number(approval[1]), required: Number(approval[2]) }), note: approval[3] ?? null };
  const suffice = /^Approvals now suffice: the workflow requires (\d+)$/.exec(note);
  if (suffice) return { detail: message('Approvals now suffice: the workflow requires {{count}}', { count: Number(suffice[1]) }), note: null };
  const imported = /^Imported for (.+)$/.exec(note);
  if (imported) return { detail: message('Imported for {{name}}', { name: imported[1] }), note: null };
  return undefined;
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('item_history', (t) => {
    t.text('detail').nullable();
  });
  const rows = await knex('item_history').whereNotNull('note').whereNot('action', 'comment').select<Array<{ id: number; note: string }>>('id', 'note');
  for (const row of rows) {
    const parts = split(row.note);
    if (parts) await knex('item_history').where('id', row.id).update(parts);
  }
}

export async function down(knex: Knex): Promise<void> {
  const rows = await knex('item_history').whereNotNull('detail').select<Array<{ id: number; detail: string; note: string | null }>>('id', 'detail', 'note');
  for (const row of rows) {
    const [key, params] = row.detail.split(SEPARATOR);
    const values = params ? (JSON.parse(params) as Record<string, string | number>) : {};
    const english = key.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(values[name] ?? ''));
    await knex('item_history')
      .where('id', row.id)
      .update({ note: row.note ? `${english}: ${row.note}` : english });
  }
  await knex.schema.alterTable('item_history', (t) => {
    t.dropColumn('detail');
  });
}
