import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { Actor } from './item-history';
import { BOUND_LIMIT, limitClause } from '../../core/db/sql-limit';

export interface CommentRow {
  id: number;
  item_id: number;
  author_id: string | null;
  author_name: string;
  body: string;
  created_at: number;
}

export class ItemComments {
  constructor(private readonly db: TenantDatabase) {}

  add(itemId: number, author: Actor, body: string): number {
    return Number(
      this.db.run('insert into item_comments (item_id, author_id, author_name, body, created_at) values (?, ?, ?, ?, ?)', [
        itemId,
        author.id,
        author.name.slice(0, 200),
        body,
        Date.now(),
      ]).lastInsertRowid,
    );
  }

  /** The item's newest comment, if any. */
  latest(itemId: number): CommentRow | undefined {
    return this.db.get<CommentRow>('select * from item_comments where item_id = ? order by created_at desc, id desc limit 1', [itemId]);
  }

  /** One comment of the item (the one just written, to answer with). */
  find(itemId: number, id: number): CommentRow | undefined {
    return this.db.get<CommentRow>('select * from item_comments where id = ? and item_id = ?', [id, itemId]);
  }

  /** Up to `limit` of the item's comments after the comment `afterId` (from the first when none), oldest first: a page of the API's list. */
  after(itemId: number, limit: number, afterId = 0): CommentRow[] {
    return this.db.all<CommentRow>(`select * from item_comments where item_id = ? and id > ? order by id ${BOUND_LIMIT}`, [itemId, afterId, limit]);
  }

  /** Up to `limit` of the item's newest comments (those before the comment `beforeId` when given), shown oldest first: a page of the item page's thread. */
  newest(itemId: number, limit: number, beforeId?: number): CommentRow[] {
    return this.db.all<CommentRow>(
      `select * from (select * from item_comments where item_id = ? and id < ? order by id desc ${limitClause(limit)}) order by id`,
      [itemId, beforeId ?? Number.MAX_SAFE_INTEGER],
    );
  }
}
