import type { Platform } from '../../app/create-platform';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { ItemRepository, type ItemRow } from '../../workspace/items/item-repository';
import { AttachmentRepository, newAttachmentId } from '../../workspace/files/attachment-repository';
import { saveWorkflowRules, DEFAULT_WORKFLOW_RULES, type WorkflowRules } from '../../workspace/workflow/workflow-rules';
import type { ItemStatus } from '../../workspace/workflow/item-status';
import { csrfFrom, type Agent } from './http-agent';

/** Runs fn on the tenant's own database, through the router like a request would. */
export async function inTenant<T>(platform: Platform, tenant: TenantRecord, fn: (db: TenantDatabase) => T): Promise<T> {
  const lease = await platform.router.acquire(tenant.id);
  try {
    return fn(lease.db);
  } finally {
    lease.release();
  }
}

export interface ItemSeed {
  title?: string;
  body?: string;
  status?: ItemStatus;
  channel?: string;
  tags?: string[];
  scheduledAt?: number | null;
  createdBy?: string;
}

/** An item written straight into the tenant's file, already in the given state. */
export async function makeItem(platform: Platform, tenant: TenantRecord, seed: ItemSeed = {}): Promise<ItemRow> {
  return inTenant(platform, tenant, (db) => {
    const repo = new ItemRepository(db);
    const id = repo.create({
      title: seed.title ?? `Item ${Math.random().toString(36).slice(2, 8)}`,
      body: seed.body ?? 'Body text',
      channel: seed.channel ?? '',
      tags: seed.tags ?? [],
      scheduledAt: seed.scheduledAt ?? null,
      createdBy: seed.createdBy ?? 'u-somebody-else',
    });
    if (seed.status && seed.status !== 'draft') db.run('update items set status = ? where id = ?', [seed.status, id]);
    return repo.find(id) as ItemRow;
  });
}

/** The item row, its tags, history, comments and approvals: "nothing changed" compares all of it. */
export async function itemSnapshot(platform: Platform, tenant: TenantRecord, id: number) {
  return inTenant(platform, tenant, (db) => ({
    item: db.get<ItemRow>('select * from items where id = ?', [id]),
    tags: db.all('select tag from item_tags where item_id = ? order by tag', [id]),
    history: db.all('select * from item_history where item_id = ? order by id', [id]),
    comments: db.all('select * from item_comments where item_id = ? order by id', [id]),
    approvals: db.all('select * from item_approvals where item_id = ? order by approver_id', [id]),
  }));
}

/** Every content row of a tenant (items, tags, history, comments, approvals, settings). */
export async function tenantContent(platform: Platform, tenant: TenantRecord) {
  return inTenant(platform, tenant, (db) => ({
    items: db.all('select * from items order by id'),
    tags: db.all('select * from item_tags order by item_id, tag'),
    history: db.all('select * from item_history order by id'),
    comments: db.all('select * from item_comments order by id'),
    approvals: db.all('select * from item_approvals order by item_id, approver_id'),
    settings: db.all("select key, value from settings where key <> 'created_at' order by key"),
  }));
}

export async function setRules(platform: Platform, tenant: TenantRecord, rules: Partial<WorkflowRules>): Promise<void> {
  await inTenant(platform, tenant, (db) => saveWorkflowRules(db, { ...DEFAULT_WORKFLOW_RULES, ...rules }));
}

/** POSTs a multipart form (the CSV import) like a browser: the session's CSRF token rides in the action's query string. */
export async function postMultipart(
  agent: Agent,
  path: string,
  fields: Record<string, string | string[]>,
  file?: { field: string; name: string; content: string | Buffer },
) {
  const token = await csrfFrom(agent, '/tenants');
  let req = agent.post(`${path}${path.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(token)}`);
  // A list sends the field once per value.
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) req = req.field(name, one);
  if (file) req = req.attach(file.field, Buffer.from(file.content), { filename: file.name, contentType: 'text/csv' });
  return req;
}

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/**
 * Attachment rows written straight into the item (no file on disk: for lists and paging), named
 * `file-1.txt`..., their times from `addedAt(i)` (several may share a millisecond).
 */
export function plantAttachments(
  db: TenantDatabase,
  itemId: number,
  count: number,
  uploader: { id: string; name: string },
  addedAt: (i: number) => number,
): void {
  db.write(() => {
    for (let i = 1; i <= count; i++) {
      const id = newAttachmentId();
      new AttachmentRepository(db).insert({
        id,
        item_id: itemId,
        stored_name: `${id}.bin`,
        original_name: `file-${i}.txt`,
        content_type: 'text/plain',
        size_bytes: 10,
        sha256: 'a'.repeat(64),
        uploaded_by: uploader.id,
        uploaded_by_name: uploader.name,
        created_at: addedAt(i),
      });
    }
  });
}
