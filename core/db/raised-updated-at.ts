/**
 * A row's new `updated_at` in an update statement (the statement's time parameter in its place):
 * now, or past the one it has when the clock has not moved on, so that the value is a revision no
 * two changes share (the console's plan forms carry it: docs/decisions/048-stale-revisions.md).
 */
export const RAISED_UPDATED_AT = 'max(?, updated_at + 1)';
