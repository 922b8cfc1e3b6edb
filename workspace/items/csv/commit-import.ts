import { ForbiddenError, ValidationError } from '../../../core/errors/app-errors';
import type { WorkflowContext } from '../../workflow/workflow-context';
import { createItem } from '../../workflow/create-item';
import { editItem } from '../../workflow/edit-item';
import type { ColumnMapping, OnDuplicate } from './column-mapping';
import type { ParsedCsv } from './parse-csv';
import { planImport, type ImportPlan } from './plan-import';

/** Thrown when any row is invalid: a 400 listing every line-numbered problem; nothing was written. */
export class ImportRejectedError extends ValidationError {
  constructor(readonly plan: ImportPlan) {
    super(
      plan.errors.map((message) => ({ field: 'csv', message })),
      `Nothing was imported: ${plan.errors.length} problem${plan.errors.length === 1 ? '' : 's'} in the file.`,
    );
  }
}

/**
 * All or nothing: the plan is made again inside one IMMEDIATE transaction (so duplicates are
 * judged against what is there now), and any invalid row rolls the whole import back.
 */
export function commitImport(ctx: WorkflowContext, csv: ParsedCsv, mapping: ColumnMapping, onDuplicate: OnDuplicate): ImportPlan {
  return ctx.db.write(() => {
    const plan = planImport(ctx.db, ctx.rules, csv, mapping, onDuplicate, ctx.clock);
    if (plan.errors.length) throw new ImportRejectedError(plan);
    // An import does what the item form does: it needs the same permissions as creating and editing by hand.
    if (plan.counts.create && !ctx.permissions.has('content.create'))
      throw new ForbiddenError(`Your role cannot create items, and ${plan.counts.create} row(s) would create one.`, { permission: 'content.create' });
    if (plan.counts.update && !ctx.permissions.has('content.edit'))
      throw new ForbiddenError(`Your role cannot edit items, and ${plan.counts.update} row(s) would update one.`, { permission: 'content.edit' });
    for (const row of plan.rows) {
      if (!row.input) continue;
      if (row.action === 'create') createItem(ctx, row.input, 'import');
      else if (row.action === 'update' && row.duplicateOf !== undefined) editItem(ctx, row.duplicateOf, row.input, 'import');
    }
    return plan;
  });
}
