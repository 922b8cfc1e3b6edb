import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import { formText, jsonText } from '../../core/http/parse-input';
import { hasNoDirectionControls, ONE_LINE_TEXT, showsSomething } from '../../core/text/visible-text';
import { ACCENT_PATTERN } from './tenant-settings';
import { isReadableAccent } from './readable-accent';
import { isLanguage } from '../../core/i18n/languages';
import { isTimeZone, listedTimeZone } from './time-zones';
import { apiRevisionField } from '../../core/http/revision-form';

export const DISPLAY_NAME_MAX = 100;

/**
 * The settings' fields and their rules, read from `input` (a form's text, or the API's JSON
 * string): the page and the API refuse the same values with the same reasons.
 */
function settingsFields(input: () => z.ZodType<string, string | undefined>) {
  const text = () => input().transform((v) => v.trim());
  return {
    display_name: text().pipe(
      z
        .string()
        .max(DISPLAY_NAME_MAX, { error: msg('must be at most {{count}} characters', { count: DISPLAY_NAME_MAX }) })
        .regex(ONE_LINE_TEXT, { error: msg('must not contain control characters') })
        .refine(showsSomething, { error: msg('is required') })
        .refine(hasNoDirectionControls, { error: msg('must not contain text-direction controls') }),
    ),
    accent_color: text()
      .transform((v) => v.toLowerCase())
      .pipe(
        z
          .string()
          .regex(ACCENT_PATTERN, { error: msg('must be a colour written #rrggbb, e.g. #2f5bd3') })
          .refine(isReadableAccent, { error: msg('is too light to read white text on, or links in it: choose a darker shade') }),
      ),
    time_zone: text()
      .transform(listedTimeZone)
      .pipe(z.string().refine(isTimeZone, { error: msg('is not a known time zone (e.g. Europe/Paris, America/New_York or UTC)') })),
    language: text().pipe(z.string().refine(isLanguage, { error: msg('must be one of the languages offered') })),
  };
}

/** The settings form. Field names are the form's (and the 400's) names; a missing field reads as empty, so "is required" names it. */
export const settingsInputSchema = z.object(settingsFields(formText));

/** The form without the white-label fields, for a plan without branding (the stored values stay). */
export const settingsWithoutBrandingSchema = settingsInputSchema.omit({ display_name: true, accent_color: true });

/** What the settings form gives: the white-label fields only when the plan offers branding. */
export type SettingsForm = z.infer<typeof settingsWithoutBrandingSchema> & Partial<Pick<z.infer<typeof settingsInputSchema>, 'display_name' | 'accent_color'>>;

const apiFields = settingsFields(jsonText);

/** A change over the API: only the fields sent change, each by the form's rules; any other field is refused. */
export const settingsChangeSchema = z
  .strictObject({
    display_name: apiFields.display_name.describe(`Shown on the workspace's pages and mails; at most ${DISPLAY_NAME_MAX} characters (plans with branding)`),
    accent_color: apiFields.accent_color.describe('#rrggbb (plans with branding)'),
    time_zone: apiFields.time_zone.describe('An IANA name (Europe/Paris); another name of the same zone is kept under its current one'),
    language: apiFields.language.describe('A language the pages offer (en, fr)'),
  })
  .partial();

export type SettingsChange = z.infer<typeof settingsChangeSchema>;

/** A change over the API, with the revision of the settings the client read (optional). */
export const settingsPatchSchema = settingsChangeSchema.extend({
  revision: apiRevisionField(
    'The settings revision you read (`revision` of GET). If someone changed the settings since, nothing is changed and the answer is 409 revision_conflict with current_revision. Without it the fields sent replace whatever is current.',
  ),
});
