import type { Request, Response } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../core/errors/app-errors';
import { formView } from '../../core/http/form-view';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { loadWorkflowRules } from '../workflow/workflow-rules';
import { IMPORT_FIELDS, IMPORT_FIELD_LABELS, guessMapping, mappingSchema, type ColumnMapping, type OnDuplicate } from '../items/csv/column-mapping';
import { MAX_CSV_BYTES, MAX_CSV_ROWS, parseCsv, type ParsedCsv } from '../items/csv/parse-csv';
import { planImport, type ImportPlan } from '../items/csv/plan-import';
import { commitImport, ImportRejectedError } from '../items/csv/commit-import';
import { csvUpload, uploadedCsvText } from '../items/csv/csv-upload';
import { tenantOf, viewHelpers, workflowOf } from './item-route-helpers';

const PREVIEW_ROWS = 20;

/** The CSV travels between the steps in a hidden field of each (multipart) form: nothing is kept server-side. */
const csvFieldSchema = z.object({ csv: z.string({ error: 'is required: paste CSV text or choose a file' }).max(MAX_CSV_BYTES + 10_000, { error: `must be at most ${MAX_CSV_BYTES / 1_000_000} MB` }) });

interface PreviewState {
  csv: string;
  parsed: ParsedCsv;
  mapping: ColumnMapping;
  onDuplicate: OnDuplicate;
  plan?: ImportPlan;
  errors?: Record<string, string>;
}

function renderPreview(req: Request, res: Response, status: number, state: PreviewState): void {
  res.status(status).render('tenant/item-import-preview', {
    ...viewHelpers,
    title: 'Import items: check the columns',
    fields: IMPORT_FIELDS,
    fieldLabels: IMPORT_FIELD_LABELS,
    headers: state.parsed.headers,
    rowCount: state.parsed.rows.length,
    csv: state.csv,
    mapping: state.mapping,
    onDuplicate: state.onDuplicate,
    plan: state.plan,
    previewRows: state.plan?.rows.slice(0, PREVIEW_ROWS) ?? [],
    rules: loadWorkflowRules(tenantOf(req).db),
    errors: state.errors ?? {},
  });
}

/** Reads the hidden CSV and the mapping form; a bad mapping re-shows the step with a 400 naming the field. */
function previewState(req: Request, res: Response): PreviewState | undefined {
  const body = csvFieldSchema.safeParse(req.body ?? {});
  if (!body.success) throw ValidationError.single('csv', 'is required: start the import again');
  const parsed = parseCsv(body.data.csv);
  const form = mappingSchema(parsed.headers.length).safeParse(req.body);
  if (!form.success) {
    const errors: Record<string, string> = {};
    for (const issue of form.error.issues) errors[String(issue.path[0])] ??= issue.message;
    renderPreview(req, res, 400, { csv: body.data.csv, parsed, mapping: guessMapping(parsed.headers), onDuplicate: 'skip', errors });
    return undefined;
  }
  return { csv: body.data.csv, parsed, ...form.data };
}

export function itemImportRoutes(table: TenantRouteTable): void {
  const upload = csvUpload();
  const uploadForm = formView('tenant/item-import', { title: 'Import items', maxRows: MAX_CSV_ROWS, maxMb: MAX_CSV_BYTES / 1_000_000 });

  table.get('/items/import', 'data.import', (_req, res) => {
    res.render('tenant/item-import', { title: 'Import items', maxRows: MAX_CSV_ROWS, maxMb: MAX_CSV_BYTES / 1_000_000, values: {}, errors: {} });
  });

  // Step 1: read the file, guess which column is which, show the mapping with a preview.
  table.post('/items/import', 'data.import', uploadForm, upload, (req, res) => {
    const csv = uploadedCsvText(req);
    const parsed = parseCsv(csv);
    const mapping = guessMapping(parsed.headers);
    const plan = mapping.title === undefined ? undefined : planImport(tenantOf(req).db, loadWorkflowRules(tenantOf(req).db), parsed, mapping, 'skip');
    renderPreview(req, res, 200, { csv, parsed, mapping, onDuplicate: 'skip', plan });
  });

  // Step 2 (repeatable): the mapping or the duplicate choice changed; validate every row again.
  table.post('/items/import/preview', 'data.import', uploadForm, upload, (req, res) => {
    const state = previewState(req, res);
    if (!state) return;
    renderPreview(req, res, 200, { ...state, plan: planImport(tenantOf(req).db, loadWorkflowRules(tenantOf(req).db), state.parsed, state.mapping, state.onDuplicate) });
  });

  // Step 3: all or nothing, in one transaction.
  table.post('/items/import/commit', 'data.import', uploadForm, upload, (req, res) => {
    const tenant = tenantOf(req);
    const state = previewState(req, res);
    if (!state) return;
    try {
      const plan = commitImport(workflowOf(req), state.parsed, state.mapping, state.onDuplicate);
      res.redirect(303, `/t/${tenant.slug}/items?imported=${plan.counts.create}&updated=${plan.counts.update}&skipped=${plan.counts.skip}`);
    } catch (err) {
      if (!(err instanceof ImportRejectedError)) throw err;
      renderPreview(req, res, 400, { ...state, plan: err.plan, errors: { form: err.message } });
    }
  });
}
