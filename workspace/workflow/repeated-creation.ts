import { isDoubleSubmit } from '../../core/http/double-submit';
import { ItemRepository } from '../items/item-repository';
import type { ItemInput } from '../items/item-schemas';
import type { WorkflowContext } from './workflow-context';

/**
 * The draft a creation sent again was made by (a double click on Create, a browser sending the
 * form again, an API client retrying without an Idempotency-Key): the workspace's newest item is a
 * draft the same member made within DOUBLE_SUBMIT_MS with exactly the same title, body, channel,
 * planned time and tags, not changed since (revision 1). Asked inside the creation's write, so two
 * sent at once make one. Undefined for anything else (another member, any field different, an
 * item made since, long after, an import): the draft is made.
 */
export function draftJustCreated(ctx: WorkflowContext, input: ItemInput): number | undefined {
  const memberId = ctx.actor.id;
  if (!memberId) return undefined;
  const repo = new ItemRepository(ctx.db);
  const newest = repo.newest();
  if (!newest || newest.created_by !== memberId || newest.status !== 'draft' || newest.revision !== 1 || !isDoubleSubmit(newest.created_at, ctx.now()))
    return undefined;
  if (
    newest.title !== input.title ||
    newest.body !== input.body ||
    newest.channel !== (input.channel ?? '') ||
    newest.scheduled_at !== (input.scheduled_at ?? null)
  )
    return undefined;
  const tags = repo.tagsOf(newest.id);
  const asked = new Set(input.tags);
  return tags.length === asked.size && tags.every((tag) => asked.has(tag)) ? newest.id : undefined;
}
