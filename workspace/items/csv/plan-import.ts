import { msg, nested } from '../../../core/i18n/message';
import type { TenantDatabase } from '../../../tenant-runtime/tenant-database';
import type { ZonedClock } from '../../../core/time/zoned-clock';
import { itemInputSchema, type ItemInput } from '../item-schemas';
import { ItemRepository } from '../item-repository';
import type { Actor } from '../item-history';
import { EDITABLE_STATUSES, statusLabel } from '../../workflow/item-status';
import { channelProblem, type WorkflowRules } from '../../workflow/workflow-rules';
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS, type ColumnMapping, type ImportChoices, type ImportField } from './column-mapping';
import type { ParsedCsv } from './parse-csv';
import { fromSpreadsheet } from '../../../core/csv/spreadsheet-safe';

export type RowAction = 'create' | 'update' | 'skip' | 'invalid';

export interface PlannedRow {
  line: number;
  values: Partial<Record<(typeof IMPORT_FIELDS)[number], string>>;
  action: RowAction;
  input?: ItemInput;
  /** The member the row names as its author (an author column), when there is one. */
  author?: Actor;
  /** The existing item a duplicate matches (same title and scheduled time). */
  duplicateOf?: number;
  errors: string[];
}

export interface ImportPlan {
  rows: PlannedRow[];
  /** Every problem of every row, each starting with its line number. */
  errors: string[];
  counts: Record<RowAction, number>;
}

/** Finds a member of this workspace by email, for the author column (undefined: not a member). */
export type AuthorLookup = (email: string) => Actor | undefined;

export interface PlanContext {
  db: TenantDatabase;
  rules: WorkflowRules;
  clock: ZonedClock;
  authors: AuthorLookup;
}

/**
 * Validates every row as the item form would, and decides what each valid row will do:
 * create an item, update its duplicate, or skip it. Nothing is written here; the commit
 * re-plans inside its transaction and writes only valid rows.
 */
export function planImport(ctx: PlanContext, csv: ParsedCsv, choices: Pick<ImportChoices, 'mapping' | 'onDuplicate'>): ImportPlan {
  const { mapping, onDuplicate } = choices;
  const schema = itemInputSchema(ctx.clock);
  const repo = new ItemRepository(ctx.db);
  const seen = new Map<string, number>();
  const rows = csv.rows.map((row): PlannedRow => {
    const values: PlannedRow['values'] = {};
    for (const field of IMPORT_FIELDS) {
      const column = mapping[field];
      // A cell the export wrote spreadsheet-safe (`'=1+1`) is read back as the value it stands for.
      if (column !== undefined) values[field] = fromSpreadsheet(row.values[column] ?? '');
    }
    const errors: string[] = [];
    if (row.values.length > csv.headers.length && row.values.slice(csv.headers.length).some((v) => v.trim())) {
      errors.push(msg('has {{count}} fields; the header has {{header}}', { count: row.values.length, header: csv.headers.length }));
    }
    const authorEmail = values.author?.trim();
    const author = authorEmail ? ctx.authors(authorEmail) : undefined;
    if (authorEmail && !author) errors.push(msg('author {{email}} is not a member of this workspace', { email: authorEmail.slice(0, 80) }));
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(fieldProblem(csv, mapping, String(issue.path[0] ?? ''), issue.message));
      return { line: row.line, values, action: 'invalid', errors };
    }
    const input = parsed.data;
    const channel = channelProblem(ctx.rules, input.channel);
    if (channel) errors.push(fieldProblem(csv, mapping, 'channel', channel));
    const key = `${input.title}\u0000${input.scheduled_at ?? ''}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) errors.push(msg('repeats line {{line}} (same title and scheduled time)', { line: earlier }));
    else seen.set(key, row.line);
    const existing = repo.findDuplicate(input.title, input.scheduled_at);
    if (existing && onDuplicate === 'update' && !EDITABLE_STATUSES.includes(existing.status)) {
      errors.push(
        msg('matches item #{{id}}, which is {{status}} and cannot be updated', {
          id: existing.id,
          status: nested(statusLabel(existing.status), { lower: true }),
        }),
      );
    }
    if (errors.length) return { line: row.line, values, action: 'invalid', input, duplicateOf: existing?.id, errors };
    return { line: row.line, values, input, author, duplicateOf: existing?.id, action: existing ? onDuplicate : 'create', errors };
  });
  const counts: Record<RowAction, number> = { create: 0, update: 0, skip: 0, invalid: 0 };
  for (const row of rows) counts[row.action]++;
  const errors = rows.flatMap((row) => row.errors.map((e) => msg('line {{line}}: {{problem}}', { line: row.line, problem: nested(e) })));
  return { rows, errors, counts };
}

/**
 * A row's problem with one field, named as the person knows it: by the file's column they chose
 * for it (`column “When” is not a date…`, or `column 3 …` when that column has no name), or, with
 * no column, by the field's label on the form.
 */
function fieldProblem(csv: ParsedCsv, mapping: ColumnMapping, field: string, reason: string): string {
  const known = (IMPORT_FIELDS as readonly string[]).includes(field) ? (field as ImportField) : undefined;
  const index = known ? mapping[known] : undefined;
  const header = index === undefined ? '' : (csv.headers[index] ?? '').trim();
  if (header) return msg('column “{{column}}” {{reason}}', { column: header.slice(0, 80), reason: nested(reason) });
  if (index !== undefined) return msg('column {{number}} {{reason}}', { number: index + 1, reason: nested(reason) });
  if (known) return msg('{{field}} {{reason}}', { field: nested(IMPORT_FIELD_LABELS[known], { lower: true }), reason: nested(reason) });
  return reason;
}
