import type { PlatformDb } from '../db/open-platform-db';

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

export class InvitationRepository {
  constructor(private readonly db: PlatformDb) {}

  findByTokenHash(hash: string): InvitationRecord | undefined {
    return this.db.raw.prepare('select * from invitations where token_hash = ?').get(hash) as InvitationRecord | undefined;
  }

  findPending(tenantId: string, email: string): InvitationRecord | undefined {
    return this.db.raw
      .prepare("select * from invitations where tenant_id = ? and email = ? and state = 'pending'")
      .get(tenantId, email) as InvitationRecord | undefined;
  }

  insert(row: Omit<InvitationRecord, 'accepted_at' | 'state' | 'created_at'>): void {
    this.db.raw
      .prepare(
        `insert into invitations (id, tenant_id, email, role_id, token_hash, state, invited_by, expires_at, created_at)
         values (@id, @tenant_id, @email, @role_id, @token_hash, 'pending', @invited_by, @expires_at, @created_at)`,
      )
      .run({ ...row, created_at: Date.now() });
  }

  /** Moves a pending invitation to a final state; false when it was no longer pending (replay, race). */
  finish(id: string, state: Exclude<InvitationState, 'pending'>): boolean {
    const acceptedAt = state === 'accepted' ? Date.now() : null;
    return this.db.raw.prepare("update invitations set state = ?, accepted_at = ? where id = ? and state = 'pending'").run(state, acceptedAt, id).changes === 1;
  }
}
