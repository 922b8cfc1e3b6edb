import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import { ACCENT_PATTERN } from './tenant-settings';
import { isLanguage } from '../../core/i18n/languages';
import { isTimeZone } from './time-zones';

export const DISPLAY_NAME_MAX = 100;
export const QUOTA_MAX_MB = 1_000_000;

/** Trims a form field; a missing field reads as empty, so "is required" names it. */
const text = () =>
  z
    .string()
    .default('')
    .transform((v) => v.trim());

/** The settings form. Field names are the form's (and the 400's) names. */
export const settingsInputSchema = z.object({
  display_name: text().pipe(
    z
      .string()
      .min(1, { error: msg('is required') })
      .max(DISPLAY_NAME_MAX, { error: msg('must be at most {{count}} characters', { count: DISPLAY_NAME_MAX }) })
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, { error: msg('must not contain control characters') }),
  ),
  accent_color: text()
    .transform((v) => v.toLowerCase())
    .pipe(z.string().regex(ACCENT_PATTERN, { error: msg('must be a colour written #rrggbb, e.g. #2f5bd3') })),
  time_zone: text().pipe(z.string().refine(isTimeZone, { error: msg('is not a known time zone (e.g. Europe/Paris, America/New_York or UTC)') })),
  language: text().pipe(z.string().refine(isLanguage, { error: msg('must be one of the languages offered') })),
  // Blank: no limit.
  storage_quota_mb: text().transform((v, ctx) => {
    if (!v) return null;
    const mb = /^\d{1,7}$/.test(v) ? Number(v) : NaN;
    if (mb >= 1 && mb <= QUOTA_MAX_MB) return mb;
    ctx.addIssue({ code: 'custom', message: msg('must be a whole number of MB from 1 to {{max}}, or blank', { max: QUOTA_MAX_MB }) });
    return z.NEVER;
  }),
});
