import { cursorParts, cursorText } from '../../core/http/page-query';

/** Where a page of a tenant's invitations ends: lists order them newest first, a batch (one instant) in reverse of its insert order. */
export interface InvitationPosition {
  createdAt: number;
  seq: number;
}

/** Longer than any cursor an invitation's position makes (two whole numbers of at most 15 digits). */
export const INVITATION_CURSOR_LENGTH = 64;

/** The position after `row`, as the opaque text of a next link or an API cursor. */
export function invitationCursor(row: { created_at: number; seq: number }): string {
  return cursorText([row.created_at, row.seq]);
}

/** The position a cursor names, or undefined for text that no page gave. */
export function parseInvitationCursor(cursor: string): InvitationPosition | undefined {
  const parts = cursorParts(cursor, /^(0|[1-9][0-9]{0,14})\.([1-9][0-9]{0,14})$/);
  return parts && { createdAt: Number(parts[0]), seq: Number(parts[1]) };
}
