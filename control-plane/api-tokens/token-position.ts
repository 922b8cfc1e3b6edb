import { cursorParts, cursorText } from '../../core/http/page-query';

/** Where a page of tokens ends: lists order them newest first, tokens made at one instant by id, highest first. */
export interface TokenPosition {
  createdAt: number;
  id: string;
}

/** The position after `row`, as the opaque text of a next link. */
export function tokenCursor(row: { created_at: number; id: string }): string {
  return cursorText([row.created_at, row.id]);
}

/** The position a cursor names, or undefined for text that no page gave. */
export function parseTokenCursor(cursor: string): TokenPosition | undefined {
  const parts = cursorParts(cursor, /^(0|[1-9][0-9]{0,14})\.(k[0-9a-f]{24})$/);
  return parts && { createdAt: Number(parts[0]), id: parts[1] };
}
