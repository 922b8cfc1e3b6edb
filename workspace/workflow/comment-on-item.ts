import { msg } from '../../core/i18n/message';
import { ForbiddenError, NotFoundError } from '../../core/errors/app-errors';
import { ItemRepository } from '../items/item-repository';
import { ItemHistory } from '../items/item-history';
import { ItemComments } from '../items/item-comments';
import { isDoubleSubmit } from '../../core/http/double-submit';
import { canComment } from './transition-table';
import type { WorkflowContext } from './workflow-context';

/**
 * Adds a comment and notes it in the item's history, in one transaction. The same text sent again
 * by the same person within DOUBLE_SUBMIT_MS (a double click) adds nothing: its id is the first one's.
 */
export function commentOnItem(ctx: WorkflowContext, itemId: number, body: string, now = Date.now()): number {
  if (!canComment(ctx.permissions)) throw new ForbiddenError(msg('Your role can read comments but not write them.'));
  return ctx.db.write(() => {
    const item = new ItemRepository(ctx.db).find(itemId);
    if (!item) throw new NotFoundError();
    const comments = new ItemComments(ctx.db);
    const latest = comments.latest(item.id);
    if (latest && latest.author_id === ctx.actor.id && latest.body === body && isDoubleSubmit(latest.created_at, now)) return latest.id;
    const id = comments.add(item.id, ctx.actor, body);
    new ItemHistory(ctx.db).record({
      itemId: item.id,
      action: 'comment',
      from: item.status,
      to: item.status,
      actor: ctx.actor,
      // Cut between characters, never inside one (an emoji is two UTF-16 units).
      note: [...body].length > 500 ? `${[...body].slice(0, 499).join('')}…` : body,
    });
    return id;
  });
}
