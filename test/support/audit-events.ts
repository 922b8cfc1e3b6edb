import type { Platform } from '../../app/create-platform';

export interface SeedEvent {
  action: string;
  tenantId?: string | null;
  actorUserId?: string | null;
  targetType?: string;
  targetId?: string;
  after?: unknown;
  userAgent?: string;
  /** ISO time, e.g. 2025-03-01T10:00:00Z */
  at: string;
}

/** Writes audit events at chosen times (the audit log itself always stamps "now"). */
export async function seedAuditEvents(platform: Platform, events: SeedEvent[]): Promise<void> {
  const insert = `insert into audit_events (tenant_id, actor_user_id, action, target_type, target_id, before, after, ip, user_agent, created_at)
                  values (@tenant_id, @actor_user_id, @action, @target_type, @target_id, @before, @after, @ip, @user_agent, @created_at)`;
  platform.db.write(() => {
    for (const row of events.map((e) => ({
      tenant_id: e.tenantId ?? null,
      actor_user_id: e.actorUserId ?? null,
      action: e.action,
      target_type: e.targetType ?? null,
      target_id: e.targetId ?? null,
      before: null,
      after: e.after === undefined ? null : JSON.stringify(e.after),
      ip: '10.0.0.1',
      user_agent: e.userAgent ?? 'Seed/1.0',
      created_at: Date.parse(e.at),
    })))
      platform.db.run(insert, row);
  });
}

/** A small CSV reader for assertions (quoted cells, doubled quotes, commas and new lines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
