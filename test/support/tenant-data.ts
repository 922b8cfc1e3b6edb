import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import type { TestPlatform } from './test-platform';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { SecretBox } from '../../core/crypto/secret-box';
import { ItemRepository } from '../../workspace/items/item-repository';
import { TenantFileStore } from '../../workspace/files/tenant-file-store';
import { uploadAttachment } from '../../workspace/files/upload-attachment';
import { saveLogo } from '../../workspace/settings/save-logo';
import { SecretRepository } from '../../workspace/secrets/secret-repository';
import { FIXTURES } from '../workspace/files/file-fixtures';

/**
 * Gives a tenant something of everything a backup must carry: items with tags, attachments (files
 * on disk), a logo and a secret, written through the workspace's own code.
 */
export async function fillTenant(t: TestPlatform, tenant: TenantRecord, label = tenant.slug): Promise<void> {
  const lease = await t.platform.router.acquire(tenant.id);
  try {
    const db = lease.db;
    const store = TenantFileStore.forTenant(t.dataDir, tenant.id);
    const items = new ItemRepository(db);
    const first = items.create({
      title: `${label}: launch post`,
      body: 'Body',
      channel: 'blog',
      tags: ['launch', 'q3'],
      scheduledAt: null,
      createdBy: 'u-filler',
    });
    items.create({ title: `${label}: follow-up`, body: 'More', channel: '', tags: [], scheduledAt: null, createdBy: 'u-filler' });
    const uploader = { id: null, name: 'Filler' };
    await uploadAttachment(db, store, first, { originalName: 'brief.pdf', buffer: FIXTURES.pdf, size: FIXTURES.pdf.length }, uploader);
    const csv = Buffer.from(`title\n${label}\n`);
    await uploadAttachment(db, store, first, { originalName: 'plan.csv', buffer: csv, size: csv.length }, uploader);
    await saveLogo(db, store, { originalName: 'logo.png', buffer: FIXTURES.png, size: FIXTURES.png.length }, () => undefined);
    new SecretRepository(db).save(new SecretBox(t.config.secretsKey), 'mailer_api_key', `sk-live-${label}-0123456789`, null);
  } finally {
    lease.release();
  }
}

/**
 * Dates a tenant's database, WAL and files folder a minute back, as they are when a scheduled
 * backup comes long after the last write. A backup within a moment of a write takes the tenant
 * again on the next run (tenant-fingerprint.ts); tests of skipping unchanged tenants start here.
 */
export function settleTenantFiles(dataDir: string, tenantId: string): void {
  const live = tenantPaths(dataDir, tenantId);
  const before = new Date(Date.now() - 60_000);
  for (const file of [live.database, `${live.database}-wal`, live.files]) if (fs.existsSync(file)) fs.utimesSync(file, before, before);
}

/** Adds one item, as a member's request would (used to change a tenant after a backup). */
export async function addItem(t: TestPlatform, tenant: TenantRecord, title: string): Promise<void> {
  const lease = await t.platform.router.acquire(tenant.id);
  try {
    new ItemRepository(lease.db).create({ title, body: '', channel: '', tags: [], scheduledAt: null, createdBy: 'u-filler' });
  } finally {
    lease.release();
  }
}

export interface TenantState {
  /** Every row of every table, in rowid order (the migration table without its times). */
  tables: Record<string, unknown[]>;
  /** Stored files by name: their sha256. */
  files: Record<string, string>;
}

/** Everything a tenant holds, read from its live folder with a connection of its own (closed again). */
export function tenantState(dataDir: string, tenantId: string): TenantState {
  const paths = tenantPaths(dataDir, tenantId);
  const db = new BetterSqlite3(paths.database, { readonly: true, fileMustExist: true });
  const tables: Record<string, unknown[]> = {};
  try {
    const rows = db.prepare("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as Array<{
      name: string;
      sql: string;
    }>;
    for (const { name, sql } of rows) {
      const columns = name === 'tenant_migrations' ? 'name' : '*';
      // A WITHOUT ROWID table (usage_counters) is read in its primary key's order.
      const order = /without\s+rowid/i.test(sql) ? '' : ' order by rowid';
      tables[name] = db.prepare(`select ${columns} from "${name}"${order}`).all();
    }
  } finally {
    db.close();
  }
  const files: Record<string, string> = {};
  if (fs.existsSync(paths.files)) {
    for (const name of fs.readdirSync(paths.files).sort()) {
      files[name] = crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(paths.files, name)))
        .digest('hex');
    }
  }
  return { tables, files };
}

/** Item titles of a tenant, read as tenantState does. */
export function itemTitles(dataDir: string, tenantId: string): string[] {
  return (tenantState(dataDir, tenantId).tables.items as Array<{ title: string }>).map((r) => r.title);
}

/** Keeps an API answer for an idempotency key in a tenant file, as the REST API does (an invitation's answer holds its link). */
export function storeReply(db: BetterSqlite3.Database, response: string, key = 'key-1'): void {
  db.prepare(
    "insert into idempotency_keys (principal, idem_key, fingerprint, state, status, response, created_at, expires_at) values ('u-replayed', ?, ?, 'done', 201, ?, ?, ?)",
  ).run(key, 'f'.repeat(64), response, Date.now(), Date.now() + 86_400_000);
}
