import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { NOTIFICATION_KINDS, type NotificationKind } from './notification-kinds';

/** Members' choices of workflow mails, in the workspace's own file. Everything is on until turned off. */
export class NotificationPreferences {
  constructor(private readonly db: TenantDatabase) {}

  /** The kinds this member gets. */
  enabledFor(userId: string): Set<NotificationKind> {
    const off = new Set(
      this.db.all<{ kind: string }>('select kind from notification_preferences where user_id = ? and enabled = 0', [userId]).map((r) => r.kind),
    );
    return new Set(NOTIFICATION_KINDS.filter((kind) => !off.has(kind)));
  }

  /** Of these members, those who get this kind (one statement whatever their number). */
  wanting(userIds: string[], kind: NotificationKind): string[] {
    if (!userIds.length) return [];
    const off = new Set(
      this.db
        .all<{ user_id: string }>(
          'select user_id from notification_preferences where kind = ? and enabled = 0 and user_id in (select value from json_each(?))',
          [kind, JSON.stringify(userIds)],
        )
        .map((r) => r.user_id),
    );
    return userIds.filter((id) => !off.has(id));
  }

  /** Saves the member's choices; answers the kinds they got before, or null when nothing changed (and nothing was written). */
  save(userId: string, enabled: ReadonlySet<NotificationKind>): NotificationKind[] | null {
    const now = Date.now();
    return this.db.write(() => {
      const before = this.enabledFor(userId);
      if (before.size === enabled.size && [...enabled].every((kind) => before.has(kind))) return null;
      for (const kind of NOTIFICATION_KINDS) {
        this.db.run(
          'insert into notification_preferences (user_id, kind, enabled, updated_at) values (?, ?, ?, ?) on conflict (user_id, kind) do update set enabled = excluded.enabled, updated_at = excluded.updated_at',
          [userId, kind, enabled.has(kind) ? 1 : 0, now],
        );
      }
      return NOTIFICATION_KINDS.filter((kind) => before.has(kind));
    });
  }
}
