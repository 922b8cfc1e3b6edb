import type { PlatformDatabase } from '../db/platform-database';
import type { InvitationPosition } from './invitation-position';
import { BOUND_LIMIT } from '../../core/db/sql-limit';

export type InvitationState = 'pending' | 'accepted' | 'expired' | 'revoked';

export interface InvitationRecord {
  id: string;
  tenant_id: string;
  email: string;
  role_id: number;
  token_hash: string;
  state: InvitationState;
  invited_by: string | null;
  expires_at: number;
  accepted_at: number | null;
  created_at: number;
}

/** An invitation as the tenant's list shows it, with its state as of now. */
export interface InvitationListRow extends InvitationRecord {
  role_key: string;
  role_name: string;
  invited_by_name: string | null;
  /** `pending` past its expiry reads as `expired`. */
  shown_state: InvitationState;
  /** Its place among invitations made in the same instant (the row's insert order): the last key of the list's order. */
  seq: number;
}

/** Pending past expires_at is expired, whether or not anything has written it yet. */
export function currentState(invitation: Pick<InvitationRecord, 'state' | 'expires_at'>, now = Date.now()): InvitationState {
  return invitation.state === 'pending' && invitation.expires_at <= now ? 'expired' : invitation.state;
}

export class InvitationRepository {
  constructor(private readonly db: PlatformDatabase) {}

  /** Invitations still usable now (pending and not expired): the plan's pending invitations limit counts them. */
  countPending(tenantId: string, now = Date.now()): number {
    return (
      this.db.get<{ n: number }>("select count(*) as n from invitations where tenant_id = ? and state = 'pending' and expires_at > ?", [tenantId, now])?.n ?? 0
    );
  }

  findByTokenHash(hash: string): InvitationRecord | undefined {
    return this.db.get<InvitationRecord>('select * from invitations where token_hash = ?', [hash]);
  }

  findPending(tenantId: string, email: string): InvitationRecord | undefined {
    return this.db.get<InvitationRecord>("select * from invitations where tenant_id = ? and email = ? and state = 'pending'", [tenantId, email]);
  }

  /** `created_at` is now unless given: the invitations of one batch share theirs (repeated-invitation.ts tells batches apart by it). */
  insert(row: Omit<InvitationRecord, 'accepted_at' | 'state' | 'created_at'> & { created_at?: number }): void {
    this.db.run(
      `insert into invitations (id, tenant_id, email, role_id, token_hash, state, invited_by, expires_at, created_at)
       values (@id, @tenant_id, @email, @role_id, @token_hash, 'pending', @invited_by, @expires_at, @created_at)`,
      { ...row, created_at: row.created_at ?? Date.now() },
    );
  }

  /** Closes a pending invitation unused (acceptOpened accepts one); false when it was no longer pending (replay, race). */
  finish(id: string, state: 'revoked' | 'expired'): boolean {
    return this.db.run("update invitations set state = ? where id = ? and state = 'pending'", [state, id]).changes === 1;
  }

  /**
   * Marks accepted the invitation opened through the link whose token hashes to `tokenHash`, if it
   * is still pending, unexpired and behind that link (a resend gives it a new one), and answers the
   * role it gives as committed now (its custom role may have been deleted since it was opened, the
   * invitation moved to the replacement); undefined otherwise.
   */
  acceptOpened(id: string, tokenHash: string, now = Date.now()): { role_id: number } | undefined {
    return this.db.get<{ role_id: number }>(
      "update invitations set state = 'accepted', accepted_at = ? where id = ? and token_hash = ? and state = 'pending' and expires_at > ? returning role_id",
      [now, id, tokenHash, now],
    );
  }

  /** The member's invitations to the tenant still pending and made after `since`, oldest first: a batch sent again finds them (repeated-invitation.ts). */
  pendingMadeBy(tenantId: string, userId: string, since: number): InvitationRecord[] {
    return this.db.all<InvitationRecord>(
      "select * from invitations where invited_by = ? and tenant_id = ? and state = 'pending' and created_at > ? order by created_at, rowid",
      [userId, tenantId, since],
    );
  }

  /** An invitation of this tenant; one of another tenant is not found. */
  findInTenant(id: string, tenantId: string): InvitationRecord | undefined {
    return this.db.get<InvitationRecord>('select * from invitations where id = ? and tenant_id = ?', [id, tenantId]);
  }

  /**
   * Up to `limit` of the tenant's invitations after `after` (from the newest when none), newest
   * first, a batch (written at once) in reverse of its insert order: a page of the invitations
   * page, of the API or, with `pendingOnly`, of the pending ones still usable now.
   */
  pageForTenant(tenantId: string, limit: number, options: { after?: InvitationPosition; pendingOnly?: boolean; now?: number } = {}): InvitationListRow[] {
    const { after, pendingOnly = false, now = Date.now() } = options;
    const from = after ? 'and (i.created_at, i.rowid) < (?, ?)' : '';
    const position = after ? [after.createdAt, after.seq] : [];
    const pending = pendingOnly ? "and i.state = 'pending' and i.expires_at > ?" : '';
    const rows = this.db.all<Omit<InvitationListRow, 'shown_state'>>(
      `select i.*, i.rowid as seq, r.key as role_key, r.name as role_name, u.name as invited_by_name
         from invitations i join roles r on r.id = i.role_id left join users u on u.id = i.invited_by
        where i.tenant_id = ? ${pending} ${from} order by i.created_at desc, i.rowid desc ${BOUND_LIMIT}`,
      [tenantId, ...(pendingOnly ? [now] : []), ...position, limit],
    );
    return rows.map((row) => ({ ...row, shown_state: currentState(row, now) }));
  }

  /** Gives a pending (or expired) invitation a new token and expiry: the old link stops working at once. */
  replaceToken(id: string, tokenHash: string, expiresAt: number): boolean {
    return (
      this.db.run("update invitations set token_hash = ?, expires_at = ?, state = 'pending' where id = ? and state in ('pending', 'expired')", [
        tokenHash,
        expiresAt,
        id,
      ]).changes === 1
    );
  }
}
