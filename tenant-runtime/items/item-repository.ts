import type { TenantDatabase } from '../tenant-database';

export interface ItemRow {
  id: number;
  title: string;
  body: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** Items of one tenant: every query runs on that tenant's own file, so there is nothing to filter. */
export class ItemRepository {
  constructor(private readonly db: TenantDatabase) {}

  find(id: number): ItemRow | undefined {
    return this.db.get<ItemRow>('select * from items where id = ?', [id]);
  }

  list(limit: number, offset: number): ItemRow[] {
    return this.db.all<ItemRow>('select * from items order by id desc limit ? offset ?', [limit, offset]);
  }

  count(): number {
    return this.db.get<{ n: number }>('select count(*) as n from items')?.n ?? 0;
  }

  create(input: { title: string; body: string; createdBy: string }): number {
    const now = Date.now();
    return this.db.write(() => Number(this.db.run('insert into items (title, body, created_by, created_at, updated_at) values (?, ?, ?, ?, ?)', [input.title, input.body, input.createdBy, now, now]).lastInsertRowid));
  }

  update(id: number, input: { title: string; body: string }): boolean {
    return this.db.write(() => this.db.run('update items set title = ?, body = ?, updated_at = ? where id = ?', [input.title, input.body, Date.now(), id]).changes === 1);
  }

  delete(id: number): boolean {
    return this.db.write(() => this.db.run('delete from items where id = ?', [id]).changes === 1);
  }
}
