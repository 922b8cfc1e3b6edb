import { growingLru } from '../../core/cache/growing-lru';
import type { PlatformDatabase } from '../db/platform-database';
import { unlessDiskFull } from '../../core/errors/disk-full';
import { BOUND_LIMIT } from '../../core/db/sql-limit';
import type { TokenPosition } from './token-position';

export interface ApiTokenRecord {
  id: string;
  kind: 'personal' | 'service';
  name: string;
  user_id: string | null;
  created_by: string | null;
  tenant_id: string | null;
  scopes: string;
  token_hash: string;
  hint: string;
  expires_at: number | null;
  last_used_at: number | null;
  last_used_ip: string | null;
  created_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
}

/** A token as lists show it, with the tenant it is limited to. */
export interface ApiTokenListRow extends ApiTokenRecord {
  tenant_slug: string | null;
  tenant_name: string | null;
  user_email: string | null;
  creator_email: string | null;
}

const MISSING = Symbol('missing');
const LIST = `select k.*, t.slug as tenant_slug, t.name as tenant_name, u.email as user_email, c.email as creator_email
                from api_tokens k left join tenants t on t.id = k.tenant_id left join users u on u.id = k.user_id left join users c on c.id = k.created_by`;

/**
 * API tokens in the control plane. Look-ups by hash run on every API request, so they are cached
 * (a miss too: a wrong token costs no query the second time); every write here drops the cache.
 * Only this process writes tokens (there is no token CLI), so nothing else can make it stale.
 */
export class ApiTokenRepository {
  private readonly byHash = growingLru<string, ApiTokenRecord | typeof MISSING>(20000);

  constructor(private readonly db: PlatformDatabase) {}

  findByHash(hash: string): ApiTokenRecord | undefined {
    let hit = this.byHash.get(hash);
    if (hit === undefined) {
      hit = this.db.get<ApiTokenRecord>('select * from api_tokens where token_hash = ?', [hash]) ?? MISSING;
      this.byHash.set(hash, hit);
    }
    return hit === MISSING ? undefined : hit;
  }

  findById(id: string): ApiTokenRecord | undefined {
    return this.db.get<ApiTokenRecord>('select * from api_tokens where id = ?', [id]);
  }

  insert(row: Omit<ApiTokenRecord, 'last_used_at' | 'last_used_ip' | 'revoked_at' | 'revoked_by'>): void {
    this.db.run(
      `insert into api_tokens (id, kind, name, user_id, created_by, tenant_id, scopes, token_hash, hint, expires_at, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [row.id, row.kind, row.name, row.user_id, row.created_by, row.tenant_id, row.scopes, row.token_hash, row.hint, row.expires_at, row.created_at],
    );
    this.byHash.clear();
  }

  /** The newest personal token of the user, or service token of the workspace made by this person (what a double click would repeat). */
  newestMadeBy(kind: 'personal' | 'service', createdBy: string, tenantId: string | null): ApiTokenRecord | undefined {
    return kind === 'personal'
      ? this.db.get<ApiTokenRecord>("select * from api_tokens where user_id = ? and kind = 'personal' order by created_at desc, rowid desc limit 1", [
          createdBy,
        ])
      : this.db.get<ApiTokenRecord>(
          "select * from api_tokens where tenant_id = ? and kind = 'service' and created_by = ? order by created_at desc, rowid desc limit 1",
          [tenantId, createdBy],
        );
  }

  /**
   * At most `limit` of the user's personal tokens, newest first (tokens of one instant by id), after
   * `after` when given: read in order from (user_id, created_at, id).
   */
  listPersonal(userId: string, limit: number, after?: TokenPosition): ApiTokenListRow[] {
    const from = after ? 'and (k.created_at, k.id) < (?, ?)' : '';
    return this.db.all<ApiTokenListRow>(`${LIST} where k.user_id = ? and k.kind = 'personal' ${from} order by k.created_at desc, k.id desc ${BOUND_LIMIT}`, [
      userId,
      ...(after ? [after.createdAt, after.id] : []),
      limit,
    ]);
  }

  /**
   * At most `limit` of a tenant's service tokens and the personal tokens limited to it, newest first
   * (tokens of one instant by id), after `after` when given: read in order from (tenant_id, created_at, id).
   */
  listForTenant(tenantId: string, limit: number, after?: TokenPosition): ApiTokenListRow[] {
    const from = after ? 'and (k.created_at, k.id) < (?, ?)' : '';
    return this.db.all<ApiTokenListRow>(`${LIST} where k.tenant_id = ? ${from} order by k.created_at desc, k.id desc ${BOUND_LIMIT}`, [
      tenantId,
      ...(after ? [after.createdAt, after.id] : []),
      limit,
    ]);
  }

  /** The user's personal tokens limited to the tenant that are not revoked (expired ones too). */
  unrevokedLimitedTo(userId: string, tenantId: string): ApiTokenRecord[] {
    return this.db.all<ApiTokenRecord>("select * from api_tokens where kind = 'personal' and user_id = ? and tenant_id = ? and revoked_at is null", [
      userId,
      tenantId,
    ]);
  }

  revoke(id: string, by: string | null): boolean {
    const changed = this.db.run('update api_tokens set revoked_at = ?, revoked_by = ? where id = ? and revoked_at is null', [Date.now(), by, id]).changes === 1;
    this.byHash.clear();
    return changed;
  }

  /** Last use, written at most once a minute per token by the caller (the cached record is not refreshed). It can wait for free space; the request goes on. */
  touch(id: string, at: number, ip: string | null): void {
    unlessDiskFull(() => void this.db.run('update api_tokens set last_used_at = ?, last_used_ip = ? where id = ?', [at, ip, id]));
  }
}
