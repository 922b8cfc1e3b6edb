import { z } from 'zod';
import { pageQuery } from '../../core/http/page-query';
import { slugAndNumericIdParams } from '../../core/http/url-id';
import { isWholeText, showsSomething } from '../../core/text/visible-text';
import { withLfLineEnds } from '../../core/text/line-ends';
import { ITEM_STATUSES } from '../workflow/item-status';
import { itemFields, itemFilterSchema, tagKey, TAG_MAX, TAG_PATTERN, TAGS_PER_ITEM } from '../items/item-schemas';
import { apiRevisionField } from '../../core/http/revision-form';

/** The instants the API can give back as it takes them: a four-digit year once in UTC. */
const EARLIEST = Date.parse('0000-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * An instant with its offset (`2025-06-01T09:00:00Z`, `2025-06-01T11:00:00+02:00`), as epoch ms.
 * One whose offset takes it past 9999 or before 0000 in UTC is refused: the API would show it
 * as `+010000-…`, which it does not take back.
 */
export const instantField = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date and time with an offset, e.g. 2025-06-01T09:00:00Z' })
  .transform((text) => Date.parse(text))
  .refine((ms) => ms >= EARLIEST && ms <= LATEST, { error: 'must fall within the years 0000-9999 in UTC' });

const tagField = z
  .string({ error: 'must be text' })
  .transform(tagKey)
  .pipe(
    z
      .string()
      .max(TAG_MAX, { error: `must be at most ${TAG_MAX} characters` })
      .regex(TAG_PATTERN, { error: 'must be letters, digits, spaces, . - or _' }),
  );

const tagsField = z
  .array(tagField, { error: 'must be a list of tags' })
  .max(TAGS_PER_ITEM, { error: `may hold at most ${TAGS_PER_ITEM} tags` })
  .transform((tags) => [...new Set(tags)]);

/**
 * A new item: the form's fields (the same rules), tags as a list and the planned time as an instant.
 * The API's bodies are strict: a field they do not take (a typo, `titel`) is a 400 naming it, never
 * silently dropped while the answer says 200.
 */
export const itemCreateSchema = z.strictObject({
  title: itemFields.title,
  body: itemFields.body,
  channel: itemFields.channel,
  tags: tagsField.default([]),
  scheduled_at: instantField.nullable().default(null),
});

/** The revision a client read, sent back with a change or a workflow step so that a newer one refuses it. */
const expectedRevisionField = apiRevisionField(
  'The item revision you read. If the item has another revision now, nothing is changed and the answer is 409 revision_conflict with current_revision. Send it: without it the request applies to whatever revision is current.',
);

/** An edit: only the fields sent change. */
export const itemPatchSchema = z.strictObject({
  revision: expectedRevisionField,
  title: itemFields.title.optional(),
  body: z
    .string({ error: 'must be text' })
    .overwrite(withLfLineEnds)
    .max(20000, { error: 'must be at most 20000 characters' })
    .refine(isWholeText, { error: 'must be whole characters' })
    .optional(),
  channel: z.string({ error: 'must be text' }).trim().max(50, { error: 'must be at most 50 characters' }).optional(),
  tags: tagsField.optional(),
  scheduled_at: instantField.nullable().optional(),
});

/** A delete: optionally only of the revision the client read. */
export const itemDeleteSchema = z.strictObject({ revision: expectedRevisionField });

export const itemListQuerySchema = itemFilterSchema.extend(pageQuery(25));

/** A page of an item's comments or attachments. */
export const pageListQuerySchema = z.object(pageQuery(100));

export const transitionBodySchema = z.strictObject({
  revision: expectedRevisionField,
  note: z.string({ error: 'must be text' }).overwrite(withLfLineEnds).max(2000, { error: 'must be at most 2000 characters' }).default(''),
  publish_at: instantField.optional().describe('For schedule: when to publish (defaults to the planned time)'),
});

export const commentBodySchema = z.strictObject({
  body: z
    .string({ error: 'is required' })
    .overwrite(withLfLineEnds)
    .trim()
    .max(5000, { error: 'must be at most 5000 characters' })
    .refine(isWholeText, { error: 'must be whole characters' })
    .refine(showsSomething, { error: 'is required' }),
});

export const itemIdParams = slugAndNumericIdParams;

const instant = z.string().describe('ISO 8601, UTC');

export const itemResourceSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  body: z.string(),
  channel: z.string(),
  tags: z.array(z.string()),
  status: z.enum(ITEM_STATUSES),
  revision: z.number().int(),
  scheduled_at: instant.nullable(),
  published_at: instant.nullable(),
  created_by: z.string().nullable(),
  created_at: instant,
  updated_at: instant,
});

export const itemEnvelope = z.object({ data: itemResourceSchema });
export const itemPageSchema = z.object({ data: z.array(itemResourceSchema), next_cursor: z.string().nullable() });

export const deletedItemSchema = z.object({
  data: z.object({ id: z.number().int(), title: z.string(), status: z.enum(ITEM_STATUSES), deleted: z.literal(true) }),
});

export const transitionResultSchema = z.object({
  data: itemResourceSchema,
  transition: z.object({
    from: z.enum(ITEM_STATUSES),
    to: z.enum(ITEM_STATUSES),
    approvals: z.object({ count: z.number().int(), required: z.number().int() }).optional(),
  }),
});

export const commentResourceSchema = z.object({
  id: z.number().int(),
  author_id: z.string().nullable(),
  author_name: z.string(),
  body: z.string(),
  created_at: instant,
});
export const commentPageSchema = z.object({ data: z.array(commentResourceSchema), next_cursor: z.string().nullable() });
export const attachmentResourceSchema = z.object({
  id: z.string(),
  item_id: z.number().int(),
  name: z.string(),
  content_type: z.string(),
  size_bytes: z.number().int(),
  sha256: z.string(),
  uploaded_by: z.string().nullable(),
  created_at: instant,
});
export const attachmentPageSchema = z.object({ data: z.array(attachmentResourceSchema), next_cursor: z.string().nullable() });
