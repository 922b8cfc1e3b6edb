import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import { SLUG_PATTERN } from '../../tenant-runtime/slug-rules';
import { emailSchema } from '../users/password-rules';

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

/** The tenant trail's filters (query string of `/t/:slug/audit` and its CSV). */
export const auditFilterSchema = z.object(shape).refine(datesInOrder, order);

/** The super admin's filters: the same, plus a tenant by slug. */
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
  .refine(datesInOrder, order);

export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** Dates are whole UTC days: `from` inclusive, `to` up to the end of its day. */
export function timeRangeOf(filter: Pick<AuditFilter, 'from' | 'to'>): { fromMs?: number; toMs?: number } {
  return {
    fromMs: filter.from ? Date.parse(`${filter.from}T00:00:00Z`) : undefined,
    toMs: filter.to ? Date.parse(`${filter.to}T00:00:00Z`) + DAY_MS : undefined,
  };
}

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
