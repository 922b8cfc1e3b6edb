import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import { SLUG_PATTERN } from '../../tenant-runtime/slug-rules';
import { emailSchema } from '../users/password-rules';
import { zonedClock } from '../../core/time/zoned-clock';

const DAY_MS = 24 * 3600 * 1000;

/** Filter forms send every field; an empty one means "any". */
const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());
const dateSchema = z.iso.date({ error: msg('must be a date like 2025-01-31') });

const shape = {
  action: optional(
    z
      .string()
      .trim()
      .max(64, { error: msg('must be at most 64 characters') })
      .regex(/^[a-z0-9_.]+$/, { error: msg('may use lowercase letters, digits, dots and underscores') }),
  ),
  actor: optional(emailSchema),
  from: optional(dateSchema),
  to: optional(dateSchema),
  page: z.preprocess(
    blank,
    z.coerce
      .number({ error: msg('must be a page number') })
      .int({ error: msg('must be a page number') })
      .min(1, { error: msg('must be a page number') })
      .max(1_000_000, { error: msg('is too large') })
      .default(1),
  ),
};

const datesInOrder = (v: { from?: string; to?: string }) => !v.from || !v.to || v.from <= v.to;
const order = { path: ['to'], error: msg('must be on or after the start date') };

/** The instants a filter's days span: `from` inclusive, `to` exclusive (the start of the day after the last). */
export interface TimeRange {
  fromMs?: number;
  toMs?: number;
}

/**
 * The filter's days are days of the zone its trail shows times in (a row shown on 11-26 is kept
 * by "to 11-26"): `from` from the first instant of its day there, `to` up to the first instant of
 * the next day. A day with no first instant there (a year out of range) is refused like a bad date.
 */
function inDaysOf(zone: string) {
  const clock = zonedClock(zone);
  return <T extends { from?: string; to?: string }>(filter: T, ctx: z.RefinementCtx): T & TimeRange => {
    const fromMs = filter.from ? clock.dayStart(filter.from) : undefined;
    const toMs = filter.to ? clock.dayStart(dayAfter(filter.to)) : undefined;
    if (fromMs === null) ctx.addIssue({ code: 'custom', path: ['from'], message: msg('must be a date like 2025-01-31') });
    if (toMs === null) ctx.addIssue({ code: 'custom', path: ['to'], message: msg('must be a date like 2025-01-31') });
    return { ...filter, fromMs: fromMs ?? undefined, toMs: toMs ?? undefined };
  };
}

/** `2025-03-01` → `2025-03-02` (a valid day, as the schema has checked). */
function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** The tenant trail's filters (query string of `/t/:slug/audit` and its CSV), its days those of the workspace's zone. */
export function auditFilterSchema(zone: string) {
  return z.object(shape).refine(datesInOrder, order).transform(inDaysOf(zone));
}

/** The super admin's filters: the same, plus a tenant by slug; its days are UTC days, as the page shows its times in UTC. */
export const adminAuditFilterSchema = z
  .object({
    ...shape,
    tenant: optional(
      z
        .string()
        .regex(SLUG_PATTERN, { error: msg('must be a workspace slug') })
        .max(40, { error: msg('must be a workspace slug') }),
    ),
  })
  .refine(datesInOrder, order)
  .transform(inDaysOf('UTC'));

export type AuditFilter = z.infer<ReturnType<typeof auditFilterSchema>>;

/** The filters as a query string (links to other pages and to the CSV keep them). */
export function filterQuery(filter: Partial<AuditFilter> & { tenant?: string }, page?: number): string {
  const params = new URLSearchParams();
  for (const key of ['tenant', 'action', 'actor', 'from', 'to'] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (page && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}
