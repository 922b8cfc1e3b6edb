/** Where a page of tokens ends: lists order them newest first, tokens made at one instant by id, highest first. */
export interface TokenPosition {
  createdAt: number;
  id: string;
}

/** The position after `row`, as the opaque text of a next link. */
export function tokenCursor(row: { created_at: number; id: string }): string {
  return Buffer.from(`${row.created_at}.${row.id}`).toString('base64url');
}

/** The position a cursor names, or undefined for text that no page gave. */
export function parseTokenCursor(cursor: string): TokenPosition | undefined {
  const match = /^(0|[1-9][0-9]{0,14})\.(k[0-9a-f]{24})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? { createdAt: Number(match[1]), id: match[2] } : undefined;
}
