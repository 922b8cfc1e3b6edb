import { cursorParts, cursorText } from '../../core/http/page-query';

/** Where a page of a workspace's members ends: lists order them highest role first, then by name, then by membership. */
export interface MemberPosition {
  predefined: number;
  rank: number;
  name: string;
  membershipId: number;
}

/** Longer than any cursor a member's position makes: a name is at most 200 characters, at most 600 bytes. */
export const MEMBER_CURSOR_LENGTH = 1200;

/** The position after `row`, as the opaque text of a next link or an API cursor. */
export function memberCursor(row: { role_is_predefined: number; role_rank: number; name: string; membership_id: number }): string {
  return cursorText([row.role_is_predefined ? 1 : 0, row.role_rank, row.membership_id, row.name]);
}

/** The position a cursor names, or undefined for text that no page gave. */
export function parseMemberCursor(cursor: string): MemberPosition | undefined {
  const parts = cursorParts(cursor, /^([01])\.(-?[0-9]{1,9})\.([1-9][0-9]{0,14})\.([\s\S]*)$/);
  return parts && { predefined: Number(parts[0]), rank: Number(parts[1]), membershipId: Number(parts[2]), name: parts[3] };
}
