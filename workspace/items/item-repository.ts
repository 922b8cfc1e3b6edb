import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { ItemStatus } from '../workflow/item-status';

export interface ItemRow {
  id: number;
  title: string;
  body: string;
  channel: string;
  status: ItemStatus;
  scheduled_at: number | null;
  published_at: number | null;
  revision: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface NewItem {
  title: string;
  body: string;
  createdBy: string;
  channel?: string;
  tags?: string[];
  scheduledAt?: number | null;
}

export interface ItemContent {
  title: string;
  body: string;
  channel: string;
  tags: string[];
  scheduledAt: number | null;
}

/** Items of one tenant: every query runs on that tenant's own file, so there is nothing to filter. */
export class ItemRepository {
  constructor(private readonly db: TenantDatabase) {}

  find(id: number): ItemRow | undefined {
    return this.db.get<ItemRow>('select * from items where id = ?', [id]);
  }

  /** The workspace's newest item (what a creation sent twice would find). */
  newest(): ItemRow | undefined {
    return this.db.get<ItemRow>('select * from items order by id desc limit 1');
  }

  /** Read from the counts the items' triggers keep (tenant migration 0025), not by counting the items. */
  countByStatus(): Partial<Record<ItemStatus, number>> {
    const rows = this.db.all<{ status: ItemStatus; n: number }>('select status, items as n from item_status_counts where items > 0');
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  tagsOf(id: number): string[] {
    return this.db.all<{ tag: string }>('select tag from item_tags where item_id = ? order by tag', [id]).map((r) => r.tag);
  }

  /** Tags of several items in one query (for list pages and exports). */
  tagsFor(ids: number[]): Map<number, string[]> {
    const tags = new Map<number, string[]>(ids.map((id) => [id, []]));
    // json_each keeps the statement text constant, so it is prepared once whatever the page size.
    const rows = this.db.all<{ item_id: number; tag: string }>(
      'select item_id, tag from item_tags where item_id in (select value from json_each(?)) order by tag',
      [JSON.stringify(ids)],
    );
    for (const row of rows) tags.get(row.item_id)?.push(row.tag);
    return tags;
  }

  /** An item with the same title and scheduled time (both null counts as the same), oldest first. */
  findDuplicate(title: string, scheduledAt: number | null): ItemRow | undefined {
    return this.db.get<ItemRow>('select * from items where title = ? and scheduled_at is ? order by id limit 1', [title, scheduledAt]);
  }

  create(input: NewItem): number {
    const now = Date.now();
    return this.db.write(() => {
      const id = Number(
        this.db.run('insert into items (title, body, channel, scheduled_at, created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)', [
          input.title,
          input.body,
          input.channel ?? '',
          input.scheduledAt ?? null,
          input.createdBy,
          now,
          now,
        ]).lastInsertRowid,
      );
      this.replaceTags(id, input.tags ?? []);
      return id;
    });
  }

  /** Writes the content fields; the caller decides the revision and status (see edit-item.ts). */
  updateContent(id: number, content: ItemContent, changes: { revision: number; status: ItemStatus }): boolean {
    return this.db.write(() => {
      const ok =
        this.db.run('update items set title = ?, body = ?, channel = ?, scheduled_at = ?, revision = ?, status = ?, updated_at = ? where id = ?', [
          content.title,
          content.body,
          content.channel,
          content.scheduledAt,
          changes.revision,
          changes.status,
          Date.now(),
          id,
        ]).changes === 1;
      if (ok) this.replaceTags(id, content.tags);
      return ok;
    });
  }

  /** Moves the item only if it is still in `from` (a concurrent change makes this a no-op). */
  setStatus(id: number, from: ItemStatus, to: ItemStatus, extra: { scheduledAt?: number | null; publishedAt?: number | null } = {}): boolean {
    const sets = ['status = ?', 'updated_at = ?'];
    const params: Array<string | number | null> = [to, Date.now()];
    if (extra.scheduledAt !== undefined) {
      sets.push('scheduled_at = ?');
      params.push(extra.scheduledAt);
    }
    if (extra.publishedAt !== undefined) {
      sets.push('published_at = ?');
      params.push(extra.publishedAt);
    }
    return this.db.run(`update items set ${sets.join(', ')} where id = ? and status = ?`, [...params, id, from]).changes === 1;
  }

  /**
   * Deletes the item if it is still in one of `statuses`, in one statement, and returns the row it
   * deleted: an item that moved on since the page was read (a draft submitted by someone else) is
   * kept (undefined then). Its tags, comments, approvals, history and attachment rows go with it
   * (ON DELETE CASCADE); the attachments' files are the caller's (delete-item.ts).
   */
  deleteIfIn(id: number, statuses: readonly ItemStatus[], revision?: number): ItemRow | undefined {
    return this.db.write(() =>
      this.db.get<ItemRow>('delete from items where id = ? and status in (select value from json_each(?)) and (? is null or revision = ?) returning *', [
        id,
        JSON.stringify(statuses),
        revision ?? null,
        revision ?? null,
      ]),
    );
  }

  private replaceTags(id: number, tags: string[]): void {
    this.db.run('delete from item_tags where item_id = ?', [id]);
    for (const tag of tags) this.db.run('insert into item_tags (item_id, tag) values (?, ?)', [id, tag]);
  }
}
