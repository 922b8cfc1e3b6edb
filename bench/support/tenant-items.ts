import BetterSqlite3 from 'better-sqlite3';
import { applyTenantPragmas } from '../../tenant-runtime/tenant-database';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { provisionTenant, provisionDeps } from '../../control-plane/provisioning/provision-tenant';
import type { Platform } from '../../app/create-platform';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

export interface ItemData {
  title: string;
  body: string;
  createdAt: number;
}

/** Deterministic item content: a title containing one of ten words (so LIKE '%word%' matches 10 %), a ~150-character body. */
export function itemData(tenantIndex: number, itemIndex: number, createdAt: number): ItemData {
  const word = WORDS[(itemIndex * 7 + tenantIndex) % WORDS.length];
  const body = `Body of item ${itemIndex} in tenant ${tenantIndex}. `.padEnd(150, 'lorem ipsum dolor sit amet ');
  return { title: `Item ${itemIndex} ${word}`, body, createdAt };
}

export function filterWord(index: number): string {
  return WORDS[index % WORDS.length];
}

/** Writes items straight into a provisioned tenant's file (one IMMEDIATE transaction), bypassing HTTP and the pipeline. */
export function writeTenantItems(dataDir: string, tenantId: string, items: ItemData[]): void {
  const db = new BetterSqlite3(tenantPaths(dataDir, tenantId).database, { fileMustExist: true });
  try {
    applyTenantPragmas(db);
    // Bench set-up data: no fsyncs (a crash only loses a run), so seeding 10,000 files stays quick.
    db.pragma('synchronous = OFF');
    const insert = db.prepare('insert into items (title, body, created_by, created_at, updated_at) values (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const item of items) insert.run(item.title, item.body, 'bench', item.createdAt, item.createdAt);
    }).immediate();
  } finally {
    db.close();
  }
}

/** A tenant provisioned through the real pipeline, with `count` items written into its file (the HTTP benchmarks' workspace). */
export async function provisionWithItems(platform: Platform, dataDir: string, tenant: { slug: string; name: string }, count = 1000): Promise<TenantRecord> {
  const record = await provisionTenant(provisionDeps(platform), tenant);
  writeTenantItems(
    dataDir,
    record.id,
    Array.from({ length: count }, (_, i) => itemData(0, i + 1, Date.now() + i)),
  );
  return record;
}
