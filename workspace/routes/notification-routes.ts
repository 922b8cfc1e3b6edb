import { msg } from '../../core/i18n/message';
import { impersonationRefusal } from '../../core/http/impersonation-refusal';
import { z } from 'zod';
import { flash } from '../../core/http/flash';
import { parseInput } from '../../core/http/parse-input';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { NOTIFICATION_KINDS, NOTIFICATION_LABELS, type NotificationKind } from '../notifications/notification-kinds';
import { NotificationPreferences } from '../notifications/notification-preferences';

/** Checked boxes arrive as nothing, one kind or several; anything else is refused. */
const preferencesSchema = z.object({
  kinds: z
    .preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z
        .array(z.enum(NOTIFICATION_KINDS, { error: msg('must be kinds of mail offered') }))
        .max(NOTIFICATION_KINDS.length * 2, { error: msg('must be kinds of mail offered') }),
    )
    .transform((kinds) => new Set<NotificationKind>(kinds)),
});

function loadNotificationsPage(ctx: TenantRequestContext) {
  const enabled = new NotificationPreferences(ctx.db).enabledFor(ctx.actor.userId);
  return {
    title: msg('Your mail from this workspace'),
    kinds: NOTIFICATION_KINDS.map((kind) => ({ kind, label: NOTIFICATION_LABELS[kind], enabled: enabled.has(kind) })),
  };
}

/** Each member chooses which workflow mails they get from this workspace (their own choices only); a change is in the audit trail. */
export function notificationRoutes(table: TenantRouteTable): void {
  table.get('/notifications', 'content.view', (ctx, _req, res) => {
    res.render('tenant/notifications', { ...loadNotificationsPage(ctx), values: {}, errors: {} });
  });

  table.post('/notifications', { permission: 'content.view', form: { view: 'tenant/notifications', load: loadNotificationsPage } }, (ctx, req, res) => {
    // The member's own choices, like their account: a super admin acting as them may not change them.
    if (ctx.actor.realUser) {
      const refusal = impersonationRefusal(req, msg('mail choices'), ctx.actor.name);
      ctx.audit(refusal.audit);
      throw refusal.error;
    }
    const { kinds } = parseInput(preferencesSchema, req.body);
    const before = new NotificationPreferences(ctx.db).save(ctx.actor.userId, kinds);
    if (before)
      ctx.audit({
        action: 'notifications.change',
        targetType: 'user',
        targetId: ctx.actor.userId,
        before: { enabled: before },
        after: { enabled: NOTIFICATION_KINDS.filter((kind) => kinds.has(kind)) },
      });
    flash(req, msg('Your mail choices were saved.'));
    res.redirect(303, ctx.url('/notifications'));
  });
}
