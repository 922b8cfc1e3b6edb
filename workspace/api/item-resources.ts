import type { ItemRow } from '../items/item-repository';
import type { CommentRow } from '../items/item-comments';
import type { AttachmentRow } from '../files/attachment-repository';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An item as the API shows it: times as ISO 8601 instants, tags inline. */
export function itemResource(item: ItemRow, tags: string[]) {
  return {
    id: item.id,
    title: item.title,
    body: item.body,
    channel: item.channel,
    tags,
    status: item.status,
    revision: item.revision,
    scheduled_at: iso(item.scheduled_at),
    published_at: iso(item.published_at),
    created_by: item.created_by,
    created_at: iso(item.created_at) as string,
    updated_at: iso(item.updated_at) as string,
  };
}

export function commentResource(c: CommentRow) {
  return { id: c.id, author_id: c.author_id, author_name: c.author_name, body: c.body, created_at: iso(c.created_at) as string };
}

export function attachmentResource(a: AttachmentRow) {
  return {
    id: a.id,
    item_id: a.item_id,
    name: a.original_name,
    content_type: a.content_type,
    size_bytes: a.size_bytes,
    sha256: a.sha256,
    uploaded_by: a.uploaded_by,
    created_at: iso(a.created_at) as string,
  };
}

/** Cursors are opaque to clients: the last id of the page, in base64url. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(`i${lastId}`).toString('base64url');
}

export function decodeCursor(cursor: string): number | null {
  const text = Buffer.from(cursor, 'base64url').toString();
  const match = /^i([1-9][0-9]{0,14})$/.exec(text);
  return match ? Number(match[1]) : null;
}
