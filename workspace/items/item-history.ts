import { msg } from '../../core/i18n/message';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { limitClause } from '../../core/db/sql-limit';
import type { ItemStatus } from '../workflow/item-status';

/** Who did something: a member (id + the name they had then) or the scheduler (null id). */
export interface Actor {
  id: string | null;
  name: string;
}

/** The scheduler has no member id; its stored name is a code, shown translated. */
export const SCHEDULER_ACTOR: Actor = { id: null, name: 'scheduler' };
export const SCHEDULER_NAME = msg('Scheduler');

export interface HistoryRow {
  id: number;
  item_id: number;
  action: string;
  from_status: ItemStatus | null;
  to_status: ItemStatus | null;
  actor_id: string | null;
  actor_name: string;
  /** What the product says of the step: a message (msg()), shown in the reader's language. */
  detail: string | null;
  /** The member's own words (a comment, an approval's or a request's note). */
  note: string | null;
  created_at: number;
}

export interface HistoryEntry {
  itemId: number;
  action: string;
  from: ItemStatus | null;
  to: ItemStatus | null;
  actor: Actor;
  detail?: string | null;
  note?: string | null;
}

/** The item's history, in the tenant's own file: transitions, edits and comments. */
export class ItemHistory {
  constructor(private readonly db: TenantDatabase) {}

  record(entry: HistoryEntry): void {
    this.db.run(
      'insert into item_history (item_id, action, from_status, to_status, actor_id, actor_name, detail, note, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [entry.itemId, entry.action, entry.from, entry.to, entry.actor.id, entry.actor.name.slice(0, 200), entry.detail ?? null, entry.note ?? null, Date.now()],
    );
  }

  /** The item's newest entry: what last happened to it, and who did it. */
  latest(itemId: number): HistoryRow | undefined {
    return this.db.get<HistoryRow>('select * from item_history where item_id = ? order by id desc limit 1', [itemId]);
  }

  /** Up to `limit` of the item's newest entries (those before the entry `beforeId` when given), newest first. */
  forItem(itemId: number, limit: number, beforeId?: number): HistoryRow[] {
    return this.db.all<HistoryRow>(`select * from item_history where item_id = ? and id < ? order by id desc ${limitClause(limit)}`, [
      itemId,
      beforeId ?? Number.MAX_SAFE_INTEGER,
    ]);
  }

  /** The latest entries across the tenant, with each item's title. */
  recent(limit: number): Array<HistoryRow & { title: string }> {
    return this.db.all<HistoryRow & { title: string }>(
      `select h.*, i.title from item_history h join items i on i.id = h.item_id order by h.id desc ${limitClause(limit)}`,
    );
  }
}
