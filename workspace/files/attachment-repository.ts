import crypto from 'node:crypto';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { BOUND_LIMIT, limitClause } from '../../core/db/sql-limit';
import type { ItemStatus } from '../workflow/item-status';

/** Attachment ids are random ('f' + 24 hex): an id says nothing about how many files exist. */
export const ATTACHMENT_ID_PATTERN = /^f[0-9a-f]{24}$/;

export function newAttachmentId(): string {
  return `f${crypto.randomBytes(12).toString('hex')}`;
}

export interface AttachmentRow {
  id: string;
  item_id: number;
  stored_name: string;
  original_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by: string | null;
  uploaded_by_name: string;
  created_at: number;
}

const COLUMNS = 'id, item_id, stored_name, original_name, content_type, size_bytes, sha256, uploaded_by, uploaded_by_name, created_at';

/** Where a page of an item's attachments starts or ends: lists order them by time added, then id. */
export interface AttachmentPosition {
  createdAt: number;
  id: string;
}

/** `1700000000000.f0123…`: a position as text, for links and cursors. */
export function positionText(row: Pick<AttachmentRow, 'created_at' | 'id'>): string {
  return `${row.created_at}.${row.id}`;
}

export function parsePosition(text: string): AttachmentPosition | undefined {
  const match = /^([0-9]{1,15})\.(f[0-9a-f]{24})$/.exec(text);
  return match ? { createdAt: Number(match[1]), id: match[2] } : undefined;
}

/** Attachment metadata in the tenant's own file; the bytes are in its files folder. */
export class AttachmentRepository {
  constructor(private readonly db: TenantDatabase) {}

  /** undefined for anything that is not an id of this tenant (malformed, another tenant's, deleted). */
  find(id: string): AttachmentRow | undefined {
    if (!ATTACHMENT_ID_PATTERN.test(id)) return undefined;
    return this.db.get<AttachmentRow>(`select ${COLUMNS} from attachments where id = ?`, [id]);
  }

  listForItem(itemId: number): AttachmentRow[] {
    return this.db.all<AttachmentRow>(`select ${COLUMNS} from attachments where item_id = ? order by created_at, id`, [itemId]);
  }

  /** Up to `limit` of the item's attachments after `after` (from the first when none), oldest first: a page of the API's list. */
  after(itemId: number, limit: number, after: AttachmentPosition = { createdAt: -1, id: '' }): AttachmentRow[] {
    return this.db.all<AttachmentRow>(
      `select ${COLUMNS} from attachments where item_id = ? and (created_at > ? or (created_at = ? and id > ?)) order by created_at, id ${BOUND_LIMIT}`,
      [itemId, after.createdAt, after.createdAt, after.id, limit],
    );
  }

  /** Up to `limit` of the item's newest attachments (those before `before` when given), shown oldest first: what the item page lists. */
  newest(itemId: number, limit: number, before: AttachmentPosition = { createdAt: Number.MAX_SAFE_INTEGER, id: '' }): AttachmentRow[] {
    return this.db.all<AttachmentRow>(
      `select * from (select ${COLUMNS} from attachments where item_id = ? and (created_at < ? or (created_at = ? and id < ?))
                        order by created_at desc, id desc ${limitClause(limit)}) order by created_at, id`,
      [itemId, before.createdAt, before.createdAt, before.id],
    );
  }

  /** The file this person attached to the item last (what a double click would repeat). */
  newestOnItemBy(itemId: number, uploaderId: string): AttachmentRow | undefined {
    return this.db.get<AttachmentRow>(`select ${COLUMNS} from attachments where item_id = ? and uploaded_by = ? order by created_at desc, id desc limit 1`, [
      itemId,
      uploaderId,
    ]);
  }

  /** The status of the item a file belongs or would belong to; undefined when there is no such item. */
  itemStatus(itemId: number): ItemStatus | undefined {
    return this.db.get<{ status: ItemStatus }>('select status from items where id = ?', [itemId])?.status;
  }

  /** Call inside db.write(). */
  insert(row: AttachmentRow): void {
    this.db.run(`insert into attachments (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      row.id,
      row.item_id,
      row.stored_name,
      row.original_name,
      row.content_type,
      row.size_bytes,
      row.sha256,
      row.uploaded_by,
      row.uploaded_by_name,
      row.created_at,
    ]);
  }

  delete(id: string): boolean {
    return this.db.write(() => this.db.run('delete from attachments where id = ?', [id]).changes === 1);
  }

  totals(): { count: number; bytes: number } {
    const row = this.db.get<{ count: number; bytes: number | null }>('select count(*) as count, sum(size_bytes) as bytes from attachments');
    return { count: row?.count ?? 0, bytes: Number(row?.bytes ?? 0) };
  }

  storedNames(): string[] {
    return this.db.all<{ stored_name: string }>('select stored_name from attachments').map((r) => r.stored_name);
  }
}
