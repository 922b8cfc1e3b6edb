import { cursorParts, cursorText } from '../../core/http/page-query';

/** Where a page of pending deletion requests ends: lists order them oldest first, requests of one instant by tenant id. */
export interface DeletionRequestPosition {
  requestedAt: number;
  tenantId: string;
}

/** Longer than any cursor a request's position makes (a whole number of at most 15 digits and a tenant id). */
export const DELETION_REQUEST_CURSOR_LENGTH = 64;

/** The position after `row`, as the opaque text of an API cursor. */
export function deletionRequestCursor(row: { requested_at: number; tenant_id: string }): string {
  return cursorText([row.requested_at, row.tenant_id]);
}

/** The position a cursor names, or undefined for text that no page gave. */
export function parseDeletionRequestCursor(cursor: string): DeletionRequestPosition | undefined {
  const parts = cursorParts(cursor, /^(0|[1-9][0-9]{0,14})\.(t[0-9a-f]{24})$/);
  return parts && { requestedAt: Number(parts[0]), tenantId: parts[1] };
}
