import { ForbiddenError, ValidationError } from '../../core/errors/app-errors';
import { ItemRepository } from '../items/item-repository';
import { ItemHistory } from '../items/item-history';
import type { ItemInput } from '../items/item-schemas';
import { channelProblem } from './workflow-rules';
import type { WorkflowContext } from './workflow-context';

/** Creates a draft and records who made it (`action` is `import` for CSV rows). */
export function createItem(ctx: WorkflowContext, input: ItemInput, action: 'create' | 'import' = 'create'): number {
  // The command checks its permission itself: an import route gated by data.import must not create for a role that may not.
  if (!ctx.permissions.has('content.create')) throw new ForbiddenError('Your role cannot create items.', { permission: 'content.create' });
  const problem = channelProblem(ctx.rules, input.channel);
  if (problem) throw ValidationError.single('channel', problem);
  return ctx.db.write(() => {
    const id = new ItemRepository(ctx.db).create({
      title: input.title,
      body: input.body,
      channel: input.channel,
      tags: input.tags,
      scheduledAt: input.scheduled_at,
      createdBy: ctx.actor.id ?? '',
    });
    new ItemHistory(ctx.db).record({ itemId: id, action, from: null, to: 'draft', actor: ctx.actor });
    return id;
  });
}
