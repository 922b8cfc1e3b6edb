import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { zonedClock, type ZonedClock } from '../../core/time/zoned-clock';
import { STATUS_LABELS, statusLabel } from '../workflow/item-status';
import { historyText } from '../items/history-text';

/** The workspace's clock for this request: times shown, typed and imported in its time zone. */
export function clockOf(ctx: Pick<TenantRequestContext, 'branding'>): ZonedClock {
  return zonedClock(ctx.branding.timeZone);
}

/**
 * Formatting helpers every content view uses: `fmt(ms)` in the workspace's zone, `clock`, status labels,
 * `statusName(status)` in the reader's language (one the code does not know as it is stored), history rows.
 */
export function viewHelpersFor(ctx: Pick<TenantRequestContext, 'branding' | 't'>) {
  const clock = clockOf(ctx);
  const statusName = (status: string): string => ctx.t(statusLabel(status));
  return { fmt: clock.format, clock, statusLabels: STATUS_LABELS, statusName, ...historyText((text, params) => ctx.t(text, params)) };
}
