import { msg } from '../../core/i18n/message';
import { ForbiddenError, ValidationError } from '../../core/errors/app-errors';
import { ItemRepository } from '../items/item-repository';
import { ItemHistory, type Actor } from '../items/item-history';
import type { ItemInput } from '../items/item-schemas';
import { channelProblem } from './workflow-rules';
import type { WorkflowContext } from './workflow-context';
import { ensureRoom, meterWithin } from '../usage/limit-guard';
import { draftJustCreated } from './repeated-creation';

/**
 * Creates a draft and records who made it (`action` is `import` for CSV rows). An import may
 * name another member as the author: the item is theirs (so the importer may approve it), and
 * the history still says who imported it. The same draft sent again by the same member moments
 * later (a double click) makes nothing: its id is the first one's (repeated-creation.ts).
 */
export function createItem(ctx: WorkflowContext, input: ItemInput, action: 'create' | 'import' = 'create', author: Actor = ctx.actor): number {
  // The command checks its permission itself: an import route gated by data.import must not create for a role that may not.
  if (!ctx.permissions.has('content.create')) throw new ForbiddenError(msg('Your role cannot create items.'), { permission: 'content.create' });
  const problem = channelProblem(ctx.rules, input.channel);
  if (problem) throw ValidationError.single('channel', problem);
  return ctx.db.write(() => {
    // An import checks and counts its rows once, for the whole file (commit-import.ts).
    if (action === 'create') {
      const made = draftJustCreated(ctx, input);
      if (made !== undefined) return made;
      ensureRoom(ctx.db, ctx.limits, 'items', 1);
      meterWithin(ctx.db, ctx.limits, 'items_created_per_user_per_day', 1, ctx.actor.id ?? undefined);
    }
    const id = new ItemRepository(ctx.db).create({
      title: input.title,
      body: input.body,
      channel: input.channel,
      tags: input.tags,
      scheduledAt: input.scheduled_at,
      createdBy: author.id ?? '',
    });
    const detail = author.id !== ctx.actor.id ? msg('Imported for {{name}}', { name: author.name }) : null;
    new ItemHistory(ctx.db).record({ itemId: id, action, from: null, to: 'draft', actor: ctx.actor, detail });
    return id;
  });
}
