import { msg } from '../../core/i18n/message';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { IMPORT_FIELDS, IMPORT_FIELD_LABELS, type ImportChoices } from '../items/csv/column-mapping';
import { MAX_CSV_BYTES, MAX_CSV_ROWS, type ParsedCsv } from '../items/csv/parse-csv';
import type { ImportPlan } from '../items/csv/plan-import';
import { loadWorkflowRules } from '../workflow/workflow-rules';
import { clockOf, viewHelpersFor } from './view-helpers';

const PREVIEW_ROWS = 20;

/** The import's first step: paste or upload, with the limits. */
export function loadImportUploadPage(ctx: Pick<TenantRequestContext, 'branding'>) {
  return { title: msg('Import items'), maxRows: MAX_CSV_ROWS, maxMb: MAX_CSV_BYTES / 1_000_000, clock: clockOf(ctx) };
}

/** Where an import stands between its steps (the CSV travels in the page's hidden field). */
export interface PreviewState {
  csv: string;
  parsed: ParsedCsv;
  choices: ImportChoices;
  plan?: ImportPlan;
  errors?: Record<string, string>;
}

/** The mapping step: the columns, what each row would do, and the reasons of refused rows. */
export function loadImportPreviewPage(ctx: TenantRequestContext, state: PreviewState) {
  return {
    ...viewHelpersFor(ctx),
    title: msg('Import items: check the columns'),
    fields: IMPORT_FIELDS,
    fieldLabels: IMPORT_FIELD_LABELS,
    headers: state.parsed.headers,
    rowCount: state.parsed.rows.length,
    csv: state.csv,
    mapping: state.choices.mapping,
    onDuplicate: state.choices.onDuplicate,
    onInvalid: state.choices.onInvalid,
    plan: state.plan,
    // The first rows, and every row with a problem wherever it is in the file.
    previewRows: state.plan?.rows.filter((row, i) => i < PREVIEW_ROWS || row.action === 'invalid') ?? [],
    rules: loadWorkflowRules(ctx.db),
    errors: state.errors ?? {},
  };
}
