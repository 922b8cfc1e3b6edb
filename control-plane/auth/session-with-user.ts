/** A stored session with its user, as the one per-request statement reads it. */
export interface SessionWithUser {
  readonly user_id: string;
  readonly data: string;
  readonly expires_at: number;
  readonly last_seen_at: number;
  readonly email: string | null;
  readonly name: string | null;
  readonly is_super_admin: number | null;
  readonly status: string | null;
  readonly language: string | null;
}
