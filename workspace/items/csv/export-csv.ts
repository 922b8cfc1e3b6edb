import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../../../core/csv/spreadsheet-safe';
import type { TenantDatabase } from '../../../tenant-runtime/tenant-database';
import { itemBatches } from '../item-query';
import type { ItemFilter } from '../item-schemas';
import { ItemRepository } from '../item-repository';
import { toIsoTime } from '../../../core/time/zoned-clock';

export const EXPORT_COLUMNS = ['id', 'title', 'body', 'channel', 'tags', 'scheduled_at', 'status', 'published_at', 'created_at', 'updated_at'];

/** Yields the CSV of the tenant's items matching the filters, a batch at a time (header first). */
export function* exportItemsCsv(db: TenantDatabase, filter: ItemFilter): Generator<string> {
  yield stringify([EXPORT_COLUMNS]);
  const repo = new ItemRepository(db);
  for (const batch of itemBatches(db, filter)) {
    const tags = repo.tagsFor(batch.map((i) => i.id));
    yield stringify(
      batch.map((item) => [
        item.id,
        spreadsheetSafe(item.title),
        spreadsheetSafe(item.body),
        spreadsheetSafe(item.channel),
        spreadsheetSafe((tags.get(item.id) ?? []).join(', ')),
        toIsoTime(item.scheduled_at),
        item.status,
        toIsoTime(item.published_at),
        toIsoTime(item.created_at),
        toIsoTime(item.updated_at),
      ]),
    );
  }
}
