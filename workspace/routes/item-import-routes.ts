import { msg } from '../../core/i18n/message';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { stringify } from 'csv-stringify/sync';
import { ValidationError } from '../../core/errors/app-errors';
import { fromSpreadsheet, spreadsheetSafe } from '../../core/csv/spreadsheet-safe';
import type { TenantRouteTable, RouteSpec } from '../../tenant-runtime/tenant-route-table';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { WorkspaceServices } from '../workspace-services';
import { loadWorkflowRules } from '../workflow/workflow-rules';
import { guessMapping, mappingSchema } from '../items/csv/column-mapping';
import { MAX_CSV_BYTES, parseCsv } from '../items/csv/parse-csv';
import { planImport, type AuthorLookup, type PlanContext } from '../items/csv/plan-import';
import { commitImport, ImportRejectedError } from '../items/csv/commit-import';
import { csvUpload, uploadedCsvText } from '../items/csv/csv-upload';
import { importJustDone, importRecord } from '../items/csv/repeated-import';
import type { RowAction } from '../items/csv/plan-import';
import { loadImportPreviewPage, loadImportUploadPage, type PreviewState } from '../pages/import-pages';
import { workflowOf } from './item-route-helpers';
import { clockOf } from '../pages/view-helpers';

/** The CSV travels between the steps in a hidden field of each (multipart) form: nothing is kept server-side. */
const csvFieldSchema = z.object({
  csv: z
    .string({ error: msg('is required: paste CSV text or choose a file') })
    .max(MAX_CSV_BYTES + 10_000, { error: msg('must be at most {{count}} MB', { count: MAX_CSV_BYTES / 1_000_000 }) }),
});

function renderPreview(ctx: TenantRequestContext, res: Response, status: number, state: PreviewState): void {
  res.status(status).render('tenant/item-import-preview', loadImportPreviewPage(ctx, state));
}

export function itemImportRoutes(table: TenantRouteTable, services: Pick<WorkspaceServices, 'members' | 'recentImports'>): void {
  const authorsOf =
    (ctx: TenantRequestContext): AuthorLookup =>
    (email) =>
      services.members.memberByEmail(ctx.tenant.id, email);
  const planContext = (ctx: TenantRequestContext): PlanContext => ({
    db: ctx.db,
    rules: loadWorkflowRules(ctx.db),
    clock: clockOf(ctx),
    authors: authorsOf(ctx),
  });

  /** Reads the hidden CSV and the mapping form; a bad mapping re-shows the step with a 400 naming the field. */
  function previewState(ctx: TenantRequestContext, req: Request, res: Response): PreviewState | undefined {
    const body = csvFieldSchema.safeParse(req.body ?? {});
    if (!body.success) throw ValidationError.single('csv', msg('is required: start the import again'));
    const parsed = parseCsv(body.data.csv);
    const form = mappingSchema(parsed.headers.length).safeParse(req.body);
    if (!form.success) {
      const errors: Record<string, string> = {};
      for (const issue of form.error.issues) errors[String(issue.path[0])] ??= issue.message;
      renderPreview(ctx, res, 400, {
        csv: body.data.csv,
        parsed,
        choices: { mapping: guessMapping(parsed.headers), onDuplicate: 'skip', onInvalid: 'reject' },
        errors,
      });
      return undefined;
    }
    return { csv: body.data.csv, parsed, choices: form.data };
  }

  // Every step is a multipart form; a refused upload shows the first step again.
  const step: RouteSpec = {
    permission: 'data.import',
    feature: 'csv',
    form: { view: 'tenant/item-import', load: loadImportUploadPage },
    before: [csvUpload()],
  };

  table.get('/items/import', { permission: 'data.import', feature: 'csv' }, (ctx, _req, res) => {
    res.render('tenant/item-import', { ...loadImportUploadPage(ctx), values: {}, errors: {} });
  });

  // Step 1: read the file, guess which column is which, show the mapping with a preview.
  table.post('/items/import', step, (ctx, req, res) => {
    const csv = uploadedCsvText(req);
    const parsed = parseCsv(csv);
    const choices = { mapping: guessMapping(parsed.headers), onDuplicate: 'skip', onInvalid: 'reject' } as const;
    const plan = choices.mapping.title === undefined ? undefined : planImport(planContext(ctx), parsed, choices);
    renderPreview(ctx, res, 200, { csv, parsed, choices, plan });
  });

  // Step 2 (repeatable): the mapping or the duplicate choice changed; validate every row again.
  table.post('/items/import/preview', step, (ctx, req, res) => {
    const state = previewState(ctx, req, res);
    if (!state) return;
    renderPreview(ctx, res, 200, { ...state, plan: planImport(planContext(ctx), state.parsed, state.choices) });
  });

  // The rows with problems, as a CSV to fix and import again: each row as it was, with its line and reasons.
  table.post('/items/import/problems.csv', step, (ctx, req, res) => {
    const state = previewState(ctx, req, res);
    if (!state) return;
    const plan = planImport(planContext(ctx), state.parsed, state.choices);
    const invalid = plan.rows.filter((row) => row.action === 'invalid');
    const cells = new Map(state.parsed.rows.map((row) => [row.line, row.values]));
    res.attachment('import-problems.csv');
    res.type('text/csv; charset=utf-8');
    res.send(
      stringify([
        ['line', 'problems', ...state.parsed.headers.map(spreadsheetSafe)],
        // A cell goes out standing for what it stood for in the file: `'=1+1` (=1+1) stays `'=1+1`, not `''=1+1`.
        ...invalid.map((row) => [
          spreadsheetSafe(String(row.line)),
          spreadsheetSafe(row.errors.map((e) => ctx.t(e)).join('; ')),
          ...(cells.get(row.line) ?? []).map((cell) => spreadsheetSafe(fromSpreadsheet(cell))),
        ]),
      ]),
    );
  });

  const importedAnswer = (ctx: TenantRequestContext, res: Response, counts: Record<RowAction, number>) =>
    res.redirect(303, ctx.url(`/items?imported=${counts.create}&updated=${counts.update}&skipped=${counts.skip + counts.invalid}`));

  // Step 3: in one transaction; every row or none, unless the person chose to skip the invalid ones.
  // The same file committed again moments after by the same member (a double click) is answered
  // with the first import's result and imports nothing (repeated-import.ts). The handler does not
  // await between that look and the audit record, so a repeat sent at once finds the first's.
  table.post('/items/import/commit', step, (ctx, req, res) => {
    const state = previewState(ctx, req, res);
    if (!state) return;
    const first = importJustDone(services, ctx, state.csv, state.choices);
    if (first) return importedAnswer(ctx, res, first);
    try {
      const plan = commitImport(workflowOf(ctx), state.parsed, state.choices, authorsOf(ctx));
      ctx.audit({
        action: 'items.import',
        targetType: 'items',
        targetId: null,
        after: importRecord(state.csv, state.choices, state.parsed.rows.length, plan.counts),
      });
      importedAnswer(ctx, res, plan.counts);
    } catch (err) {
      if (!(err instanceof ImportRejectedError)) throw err;
      renderPreview(ctx, res, 400, { ...state, plan: err.plan, errors: { form: err.message } });
    }
  });
}
