import { msg } from '../../../core/i18n/message';
import { z } from 'zod';

/** The item fields a CSV column can fill, in form order. */
export const IMPORT_FIELDS = ['title', 'body', 'channel', 'tags', 'scheduled_at', 'author'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  title: msg('Title'),
  body: msg('Body'),
  channel: msg('Channel'),
  tags: msg('Tags'),
  scheduled_at: msg('Scheduled time'),
  author: msg("Author (a member's email)"),
};

/** Column index per field; a field left out is imported empty. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

const SYNONYMS: Record<ImportField, string[]> = {
  title: ['title', 'name', 'headline', 'subject'],
  body: ['body', 'content', 'text', 'description', 'copy'],
  channel: ['channel', 'network', 'platform'],
  tags: ['tags', 'tag', 'labels', 'keywords'],
  scheduled_at: ['scheduled_at', 'scheduled', 'schedule', 'publish_at', 'date', 'when', 'time', 'scheduled time'],
  author: ['author', 'author_email', 'created_by', 'owner', 'writer'],
};

const normal = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** A first mapping from the header names (the person can change it on the preview page). */
export function guessMapping(headers: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const field of IMPORT_FIELDS) {
    const index = headers.findIndex((h) => SYNONYMS[field].map(normal).includes(normal(h)));
    if (index >= 0) mapping[field] = index;
  }
  return mapping;
}

/** The mapping form: `map_<field>` holds a column number or '' (not imported); a title column is required. */
export function mappingSchema(columnCount: number) {
  const notAColumn = msg("must be one of the file's columns");
  const column = z
    .string({ error: notAColumn })
    .default('')
    .refine((v) => v === '' || (/^\d+$/.test(v) && Number(v) < columnCount), { error: notAColumn })
    .transform((v) => (v === '' ? undefined : Number(v)));
  return z
    .object({
      map_title: column.refine((v) => v !== undefined, { error: msg('is required: choose the column holding the titles') }),
      map_body: column,
      map_channel: column,
      map_tags: column,
      map_scheduled_at: column,
      map_author: column,
      on_duplicate: z.enum(['skip', 'update'], { error: msg('must be skip or update') }).default('skip'),
      on_invalid: z.enum(['reject', 'skip'], { error: msg('must be reject or skip') }).default('reject'),
    })
    .transform((form) => ({
      mapping: {
        title: form.map_title,
        body: form.map_body,
        channel: form.map_channel,
        tags: form.map_tags,
        scheduled_at: form.map_scheduled_at,
        author: form.map_author,
      } as ColumnMapping,
      onDuplicate: form.on_duplicate,
      onInvalid: form.on_invalid,
    }));
}

export type OnDuplicate = 'skip' | 'update';
/** A file with invalid rows: refused whole (the default), or its valid rows imported and the rest skipped. */
export type OnInvalid = 'reject' | 'skip';

/** What the person chose on the preview: which column fills which field, and what to do with duplicates and bad rows. */
export interface ImportChoices {
  mapping: ColumnMapping;
  onDuplicate: OnDuplicate;
  onInvalid: OnInvalid;
}
