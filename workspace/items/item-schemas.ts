import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import { isWholeText, ONE_LINE_TEXT, showsSomething } from '../../core/text/visible-text';
import { ITEM_STATUSES } from '../workflow/item-status';
import type { ZonedClock } from '../../core/time/zoned-clock';
import { readTypedTime } from '../../core/time/typed-time';
import { withLfLineEnds } from '../../core/text/line-ends';
import { digitsField } from '../../core/http/url-id';

export const TITLE_MAX = 200;
export const BODY_MAX = 20000;
export const TAG_MAX = 40;
export const TAGS_PER_ITEM = 20;
/** Letters (with their accents and marks), digits, spaces, . - and _, starting with a letter or digit. */
export const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} _.-]*$/u;
/** What a field sent twice (`?tag=a&tag=b`) or of another type is told. */
export const SINGLE_TEXT = msg('must be given once, as text');

/**
 * A tag as it is stored and compared: compatibility-normalised (a full-width "ＡＢＣ" is "abc", an
 * accent typed apart from its letter is one with it) and lower-case.
 */
export function tagKey(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

/** "News, launch;  News" -> ['news', 'launch']. */
export function splitTags(text: string): string[] {
  return [...new Set(text.split(/[,;]/).map(tagKey).filter(Boolean))];
}

const tagsField = z
  .string({ error: SINGLE_TEXT })
  .max(2000, { error: msg('must be at most 2000 characters') })
  .default('')
  .transform((text, ctx) => {
    const tags = splitTags(text);
    const bad = tags.find((t) => t.length > TAG_MAX || !TAG_PATTERN.test(t));
    if (bad)
      ctx.addIssue({
        code: 'custom',
        message: msg('“{{tag}}” is not a tag: use up to {{max}} letters, digits, spaces, . - or _', { tag: bad.slice(0, 50), max: TAG_MAX }),
      });
    if (tags.length > TAGS_PER_ITEM) ctx.addIssue({ code: 'custom', message: msg('may hold at most {{count}} tags', { count: TAGS_PER_ITEM }) });
    return tags;
  });

/** The planned time, typed or imported in the workspace's time zone (or with an explicit offset). */
export function scheduleTimeField(clock: ZonedClock) {
  const reason = msg('is not a date and time (use YYYY-MM-DD HH:MM, in {{zone}})', { zone: clock.zoneName });
  return z
    .string()
    .max(40, { error: reason })
    .default('')
    .transform((text, ctx) => {
      if (!text.trim()) return null;
      const at = clock.parse(text);
      if (at !== null) return at;
      // Well written but skipped: the wall clock jumps over it when the clocks go forward.
      const skipped = readTypedTime(text, { dayAlone: false }) !== null;
      ctx.addIssue({
        code: 'custom',
        message: skipped ? msg('does not exist in {{zone}}: the clocks go forward over it (choose a time after the change)', { zone: clock.zoneName }) : reason,
      });
      return null;
    });
}

/**
 * The planned time a form sends back: the instant its field was filled with while the text is still
 * what the page wrote there. The field holds minutes and no offset (ZonedClock.input), so an instant
 * with seconds, or in the second run of an hour the clocks go back over, would otherwise move by
 * those seconds or by an hour each time the form is saved for another reason.
 */
export function plannedTimeSentBack(clock: ZonedClock, sent: unknown, shown: number | null, read: number | null): number | null {
  return shown !== null && typeof sent === 'string' && sent.trim() === clock.input(shown) ? shown : read;
}

/**
 * An item's fields as typed in the form or read from a CSV row. The channel is checked
 * against the tenant's workflow rules by the command, which knows them.
 */
export const itemFields = {
  title: z
    .string({ error: msg('is required') })
    .trim()
    .max(TITLE_MAX, { error: msg('must be at most {{count}} characters', { count: TITLE_MAX }) })
    .regex(ONE_LINE_TEXT, { error: msg('must be one line, without control characters') })
    .refine(isWholeText, { error: msg('must be whole characters') })
    .refine(showsSomething, { error: msg('is required') }),
  body: z
    .string({ error: SINGLE_TEXT })
    .overwrite(withLfLineEnds)
    .max(BODY_MAX, { error: msg('must be at most {{count}} characters', { count: BODY_MAX }) })
    .refine(isWholeText, { error: msg('must be whole characters') })
    .default(''),
  channel: z
    .string({ error: SINGLE_TEXT })
    .trim()
    .max(50, { error: msg('must be at most 50 characters') })
    .default(''),
  tags: tagsField,
};

function buildItemInputSchema(clock: ZonedClock) {
  return z.object({ ...itemFields, scheduled_at: scheduleTimeField(clock) });
}

const schemas = new Map<string, ReturnType<typeof buildItemInputSchema>>();

/** The item form's schema for a workspace's time zone (one per zone, built once). */
export function itemInputSchema(clock: ZonedClock): ReturnType<typeof buildItemInputSchema> {
  let schema = schemas.get(clock.zone);
  if (!schema) {
    schema = buildItemInputSchema(clock);
    schemas.set(clock.zone, schema);
  }
  return schema;
}

export type ItemInput = z.infer<ReturnType<typeof buildItemInputSchema>>;

export const pageSchema = digitsField(z.number().int().min(1).max(100000)).catch(1);

const optionalText = (max: number) =>
  z
    .string({ error: SINGLE_TEXT })
    .trim()
    .max(max, { error: msg('must be at most {{count}} characters', { count: max }) })
    .optional()
    .transform((v) => v || undefined);

/** The list's filters, from the query string; an unknown status is a 400 naming the field. */
export const itemFilterSchema = z.object({
  status: z
    .union([z.enum(ITEM_STATUSES), z.literal('')], { error: msg('must be one of the statuses') })
    .optional()
    .transform((v) => v || undefined),
  channel: optionalText(50),
  tag: optionalText(TAG_MAX).transform((v) => v && tagKey(v)),
  q: optionalText(200),
});

export type ItemFilter = z.infer<typeof itemFilterSchema>;

/** The filters back as a query string (for pager and export links). */
export function filterQuery(filter: ItemFilter, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, ...extra })) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
