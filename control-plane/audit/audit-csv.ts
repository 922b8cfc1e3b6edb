import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../../core/csv/spreadsheet-safe';
import { sendChunks } from '../../core/http/send-chunks';
import type { AuditEventRow } from './audit-query';

const COLUMNS = ['time', 'tenant', 'actor', 'action', 'target_type', 'target_id', 'before', 'after', 'ip', 'user_agent', 'real_actor', 'api_token'];

/** The API token a change came with, named as the trail page names it: its name and hint. */
function tokenOf(row: AuditEventRow): string {
  if (!row.api_token_id) return '';
  const name = row.api_token_name ?? row.api_token_id;
  return row.api_token_hint ? `${name} (${row.api_token_hint})` : name;
}

function record(row: AuditEventRow): string[] {
  return [
    new Date(row.created_at).toISOString(),
    row.tenant_slug ?? row.tenant_id ?? '',
    row.actor_email ?? row.actor_user_id ?? '',
    row.action,
    row.target_type ?? '',
    row.target_id ?? '',
    row.before ?? '',
    row.after ?? '',
    row.ip ?? '',
    row.user_agent ?? '',
    row.real_actor_email ?? row.real_actor_user_id ?? '',
    tokenOf(row),
  ].map(spreadsheetSafe);
}

/** Streams the events as a CSV download: a header row, then one row per event, batch by batch. */
export async function sendAuditCsv(res: Response, filename: string, batches: Iterable<AuditEventRow[]>): Promise<void> {
  res.attachment(filename);
  res.type('text/csv; charset=utf-8');
  res.set('Cache-Control', 'no-store');
  await sendChunks(res, csvOf(batches));
}

function* csvOf(batches: Iterable<AuditEventRow[]>): Generator<string> {
  yield stringify([COLUMNS]);
  for (const rows of batches) yield stringify(rows.map(record));
}
