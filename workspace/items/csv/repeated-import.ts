import crypto from 'node:crypto';
import type { TenantRequestContext } from '../../../tenant-runtime/tenant-request-context';
import type { WorkspaceServices } from '../../workspace-services';
import type { ImportChoices } from './column-mapping';
import type { RowAction } from './plan-import';

/**
 * The file's fingerprint kept in its import's audit record (never its contents): the SHA-256 of
 * the CSV's UTF-8 bytes as the commit received them, in hex.
 */
export function csvSha256(csv: string): string {
  return crypto.createHash('sha256').update(csv, 'utf8').digest('hex');
}

/** What an import's audit record says of the file and of what the person chose, beside its counts. */
export function importRecord(csv: string, choices: ImportChoices, rows: number, counts: Record<RowAction, number>): Record<string, unknown> {
  return { rows, ...counts, onDuplicate: choices.onDuplicate, onInvalid: choices.onInvalid, mapping: choices.mapping, sha256: csvSha256(csv) };
}

/**
 * The counts of the import that the same file committed again was answered by (a double click on
 * Import, a browser sending the form again): the same member's `items.import` record in this
 * workspace from within DOUBLE_SUBMIT_MS, for a file with the same SHA-256 and the same choices.
 * Undefined for anything else (another file or choices, another member or workspace, long after):
 * the import runs as ever.
 */
export function importJustDone(
  services: Pick<WorkspaceServices, 'recentImports'>,
  ctx: Pick<TenantRequestContext, 'tenant' | 'actor'>,
  csv: string,
  choices: ImportChoices,
): Record<RowAction, number> | undefined {
  const asked = importRecord(csv, choices, 0, { create: 0, update: 0, skip: 0, invalid: 0 });
  const same = (after: Record<string, unknown>) =>
    after.sha256 === asked.sha256 &&
    after.onDuplicate === asked.onDuplicate &&
    after.onInvalid === asked.onInvalid &&
    JSON.stringify(after.mapping) === JSON.stringify(asked.mapping);
  const first = services.recentImports.importsJustNow({ tenantId: ctx.tenant.id, actorUserId: ctx.actor.userId }).find(same);
  if (!first) return undefined;
  const count = (action: RowAction) => (typeof first[action] === 'number' ? first[action] : 0);
  return { create: count('create'), update: count('update'), skip: count('skip'), invalid: count('invalid') };
}
