import { msg } from '../../../core/i18n/message';
import { ForbiddenError, ValidationError } from '../../../core/errors/app-errors';
import type { WorkflowContext } from '../../workflow/workflow-context';
import { createItem } from '../../workflow/create-item';
import { editItem } from '../../workflow/edit-item';
import type { ImportChoices } from './column-mapping';
import type { ParsedCsv } from './parse-csv';
import { planImport, type AuthorLookup, type ImportPlan } from './plan-import';
import { ensureRoom, meterWithin } from '../../usage/limit-guard';
import { pausePoint } from '../../../core/process/pause-point';

/** Thrown when rows are invalid and the person chose to refuse such a file: a 400 listing every line-numbered problem; nothing was written. */
export class ImportRejectedError extends ValidationError {
  constructor(readonly plan: ImportPlan) {
    super(
      plan.errors.map((message) => ({ field: 'csv', message })),
      msg('Nothing was imported: {{count}} problems in the file.', { count: plan.errors.length }),
    );
  }
}

/**
 * The plan is made again inside one IMMEDIATE transaction (so duplicates are judged against what
 * is there now). With `onInvalid: 'reject'` any invalid row rolls the whole import back; with
 * `'skip'` the valid rows are imported and the invalid ones left out (the preview offers their
 * list as a download). A failure while writing always rolls everything back.
 */
export function commitImport(ctx: WorkflowContext, csv: ParsedCsv, choices: ImportChoices, authors: AuthorLookup): ImportPlan {
  return ctx.db.write(() => {
    const plan = planImport({ db: ctx.db, rules: ctx.rules, clock: ctx.clock, authors }, csv, choices);
    if (plan.errors.length && choices.onInvalid === 'reject') throw new ImportRejectedError(plan);
    if (plan.counts.create + plan.counts.update === 0)
      throw new ImportRejectedError(plan.errors.length ? plan : { ...plan, errors: [msg('the file holds nothing to import')] });
    // An import does what the item form does: it needs the same permissions as creating and editing by hand.
    if (plan.counts.create && !ctx.permissions.has('content.create')) {
      throw new ForbiddenError(msg('Your role cannot create items, and {{count}} rows would create one.', { count: plan.counts.create }), {
        permission: 'content.create',
      });
    }
    if (plan.counts.update && !ctx.permissions.has('content.edit')) {
      throw new ForbiddenError(msg('Your role cannot edit items, and {{count}} rows would update one.', { count: plan.counts.update }), {
        permission: 'content.edit',
      });
    }
    // The plan's limits, for the whole file at once: its rows against the month's import
    // allowance, its new items against the item limits (each row then skips the per-item check).
    meterWithin(ctx.db, ctx.limits, 'csv_rows_per_month', csv.rows.length);
    if (plan.counts.create) {
      ensureRoom(ctx.db, ctx.limits, 'items', plan.counts.create);
      meterWithin(ctx.db, ctx.limits, 'items_created_per_user_per_day', plan.counts.create, ctx.actor.id ?? undefined);
    }
    for (const row of plan.rows) {
      if (!row.input) continue;
      if (row.action === 'create') createItem(ctx, row.input, 'import', row.author);
      else if (row.action === 'update' && row.duplicateOf !== undefined) editItem(ctx, row.duplicateOf, row.input, { action: 'import' });
    }
    pausePoint('csv-import:rows-written');
    return plan;
  });
}
