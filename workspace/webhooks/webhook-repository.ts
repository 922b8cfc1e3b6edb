import crypto from 'node:crypto';
import type { SecretBox } from '../../core/crypto/secret-box';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { forgetEndpoints } from './endpoint-cache';
import { BOUND_LIMIT, limitClause } from '../../core/db/sql-limit';

export const ENDPOINT_ID_PATTERN = /^w[0-9a-f]{24}$/;
export const DELIVERY_ID_PATTERN = /^msg_[0-9a-f]{24}$/;
/** The most characters `disabled_reason` holds (varchar(200), tenant migration 0019; an import refuses more). */
export const DISABLED_REASON_MAX = 200;

export interface EndpointRow {
  id: string;
  url: string;
  description: string;
  events: string;
  enabled: number;
  /** Why it was disabled: a message made by msg() (English text in rows disabled before). */
  disabled_reason: string | null;
  failed_deliveries: number;
  created_at: number;
  updated_at: number;
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_type: string;
  payload: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempted_at: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

const ENDPOINT_COLUMNS = 'id, url, description, events, enabled, disabled_reason, failed_deliveries, created_at, updated_at';

/** A tenant's webhook endpoints, their queued deliveries and the attempts log, in its own file. */
export class WebhookRepository {
  constructor(private readonly db: TenantDatabase) {}

  listEndpoints(): EndpointRow[] {
    return this.db.all<EndpointRow>(`select ${ENDPOINT_COLUMNS} from webhook_endpoints order by created_at`);
  }

  /** undefined for anything that is not an endpoint id of this tenant. */
  findEndpoint(id: string): EndpointRow | undefined {
    if (!ENDPOINT_ID_PATTERN.test(id)) return undefined;
    return this.db.get<EndpointRow>(`select ${ENDPOINT_COLUMNS} from webhook_endpoints where id = ?`, [id]);
  }

  /** The newest endpoint this person added, with what makes a second one the same (a double click). */
  newestEndpointBy(createdBy: string): Pick<EndpointRow, 'id' | 'url' | 'description' | 'events' | 'created_at'> | undefined {
    return this.db.get(
      'select id, url, description, events, created_at from webhook_endpoints where created_by = ? order by created_at desc, rowid desc limit 1',
      [createdBy],
    );
  }

  insertEndpoint(box: SecretBox, input: { url: string; description: string; events: string[]; secret: string; createdBy: string | null }): string {
    const id = `w${crypto.randomBytes(12).toString('hex')}`;
    const sealed = box.seal(input.secret, `webhook:${id}`);
    const now = Date.now();
    this.db.run(
      `insert into webhook_endpoints (id, url, description, events, secret_ciphertext, secret_iv, secret_tag, secret_key_id, enabled, failed_deliveries, created_by, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?)`,
      [id, input.url, input.description, JSON.stringify(input.events), sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId, input.createdBy, now, now],
    );
    forgetEndpoints(this.db);
    return id;
  }

  updateEndpoint(id: string, changes: { url: string; description: string; events: string[] }): boolean {
    const changed =
      this.db.run('update webhook_endpoints set url = ?, description = ?, events = ?, updated_at = ? where id = ?', [
        changes.url,
        changes.description,
        JSON.stringify(changes.events),
        Date.now(),
        id,
      ]).changes === 1;
    forgetEndpoints(this.db);
    return changed;
  }

  replaceSecret(box: SecretBox, id: string, secret: string): void {
    const sealed = box.seal(secret, `webhook:${id}`);
    this.db.run('update webhook_endpoints set secret_ciphertext = ?, secret_iv = ?, secret_tag = ?, secret_key_id = ?, updated_at = ? where id = ?', [
      sealed.ciphertext,
      sealed.iv,
      sealed.authTag,
      sealed.keyId,
      Date.now(),
      id,
    ]);
  }

  /**
   * Re-seals every endpoint's signing secret under `to` (the secrets key rotation), in one
   * transaction: a secret sealed under `from` that does not open with it aborts it. A secret under
   * neither key (an import's, sealed by another deployment, or blanked by an export) opens with
   * neither: it is left as it is (its endpoint waits for a new secret) and counted apart.
   */
  resealSecrets(from: SecretBox, to: SecretBox): { rotated: number; alreadyCurrent: number; unreadable: number } {
    return this.db.write(() => {
      const rows = this.db.all<{ id: string; secret_ciphertext: Buffer; secret_iv: Buffer; secret_tag: Buffer; secret_key_id: string }>(
        'select id, secret_ciphertext, secret_iv, secret_tag, secret_key_id from webhook_endpoints order by id',
      );
      let rotated = 0;
      let unreadable = 0;
      for (const row of rows) {
        if (row.secret_key_id === to.keyId) continue;
        if (row.secret_key_id !== from.keyId) {
          unreadable++;
          continue;
        }
        const context = `webhook:${row.id}`;
        const sealed = to.seal(
          from.open({ ciphertext: row.secret_ciphertext, iv: row.secret_iv, authTag: row.secret_tag, keyId: row.secret_key_id }, context),
          context,
        );
        this.db.run('update webhook_endpoints set secret_ciphertext = ?, secret_iv = ?, secret_tag = ?, secret_key_id = ? where id = ?', [
          sealed.ciphertext,
          sealed.iv,
          sealed.authTag,
          sealed.keyId,
          row.id,
        ]);
        rotated++;
      }
      return { rotated, alreadyCurrent: rows.length - rotated - unreadable, unreadable };
    });
  }

  /** The signing secret, opened for a delivery or to show its owner; never logged. */
  secretOf(box: SecretBox, id: string): string | undefined {
    const row = this.db.get<{ secret_ciphertext: Buffer; secret_iv: Buffer; secret_tag: Buffer; secret_key_id: string }>(
      'select secret_ciphertext, secret_iv, secret_tag, secret_key_id from webhook_endpoints where id = ?',
      [id],
    );
    return row
      ? box.open({ ciphertext: row.secret_ciphertext, iv: row.secret_iv, authTag: row.secret_tag, keyId: row.secret_key_id }, `webhook:${id}`)
      : undefined;
  }

  setEnabled(id: string, enabled: boolean, reason: string | null): boolean {
    const changed =
      this.db.run(
        'update webhook_endpoints set enabled = ?, disabled_reason = ?, failed_deliveries = case when ? then 0 else failed_deliveries end, updated_at = ? where id = ?',
        [enabled ? 1 : 0, enabled ? null : reason, enabled ? 1 : 0, Date.now(), id],
      ).changes === 1;
    forgetEndpoints(this.db);
    return changed;
  }

  deleteEndpoint(id: string): boolean {
    const deleted = this.db.run('delete from webhook_endpoints where id = ?', [id]).changes === 1;
    forgetEndpoints(this.db);
    return deleted;
  }

  /** The endpoint's latest deliveries, newest first. */
  deliveriesOf(endpointId: string, limit = 50): DeliveryRow[] {
    return this.db.all<DeliveryRow>(`select * from webhook_deliveries where endpoint_id = ? order by created_at desc, id desc ${limitClause(limit)}`, [
      endpointId,
    ]);
  }

  findDelivery(id: string): DeliveryRow | undefined {
    if (!DELIVERY_ID_PATTERN.test(id)) return undefined;
    return this.db.get<DeliveryRow>('select * from webhook_deliveries where id = ?', [id]);
  }

  attemptsOf(deliveryIds: string[]): Map<string, AttemptRow[]> {
    const map = new Map<string, AttemptRow[]>(deliveryIds.map((id) => [id, []]));
    if (!deliveryIds.length) return map;
    const rows = this.db.all<AttemptRow>(
      'select delivery_id, attempted_at, status, error, duration_ms from webhook_attempts where delivery_id in (select value from json_each(?)) order by id',
      [JSON.stringify(deliveryIds)],
    );
    for (const row of rows) map.get(row.delivery_id)?.push(row);
    return map;
  }

  /** Due deliveries of enabled endpoints, oldest first, leaving out those of the endpoints `passedOver`. */
  due(now: number, limit: number, passedOver: ReadonlySet<string> = new Set()): DeliveryRow[] {
    return this.db.all<DeliveryRow>(
      `select d.* from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
        where d.state = 'pending' and d.next_attempt_at <= ? and e.enabled = 1 and d.endpoint_id not in (select value from json_each(?))
        order by d.next_attempt_at, d.id ${BOUND_LIMIT}`,
      [now, JSON.stringify([...passedOver]), limit],
    );
  }

  /** When the next pending delivery of an enabled endpoint is due, or null. */
  nextDue(): number | null {
    return (
      this.db.get<{ at: number | null }>(
        "select min(d.next_attempt_at) as at from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id where d.state = 'pending' and e.enabled = 1",
      )?.at ?? null
    );
  }

  /** Sends a delivery again from now, with a fresh set of attempts; its id (the message id) and log stay. */
  redeliver(id: string, now: number): boolean {
    return (
      this.db.run(
        "update webhook_deliveries set state = 'pending', attempts = 0, next_attempt_at = ?, finished_at = null where id = ? and state <> 'pending'",
        [now, id],
      ).changes === 1
    );
  }
}
