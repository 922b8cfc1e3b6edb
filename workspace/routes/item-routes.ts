import { msg, nested } from '../../core/i18n/message';
import { z } from 'zod';
import { AppError } from '../../core/errors/app-errors';
import { flash } from '../../core/http/flash';
import { backToList } from '../../core/http/local-path';
import { parseNumericId } from '../../core/http/url-id';
import { parseInput } from '../../core/http/parse-input';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { Later } from '../workspace-services';
import { ItemRepository } from '../items/item-repository';
import { itemInputSchema, plannedTimeSentBack, scheduleTimeField } from '../items/item-schemas';
import { revisionFormSchema } from '../../core/http/revision-form';
import type { ZonedClock } from '../../core/time/zoned-clock';
import { clockOf } from '../pages/view-helpers';
import { DELETE_PERMISSION, TRANSITION_ACTIONS, featureFor, permissionFor, type TransitionAction } from '../workflow/transition-table';
import { createItem } from '../workflow/create-item';
import type { CurrentContent } from '../workflow/edit-item';
import type { TransitionResult } from '../workflow/transition-item';
import { itemSteps, type ItemStepServices } from './item-steps';
import { statusLabel } from '../workflow/item-status';
import { commentOnItem } from '../workflow/comment-on-item';
import { showsSomething } from '../../core/text/visible-text';
import { withLfLineEnds } from '../../core/text/line-ends';
import { loadItemPage } from '../pages/item-page';
import { loadItemsPage, loadNewItemPage } from '../pages/items-page';
import { itemIdOf, itemOf, itemPageForm, workflowOf } from './item-route-helpers';

/** The schedule form's time is named apart from the edit form's scheduled_at, which shares the page. */
function transitionFormSchema(clock: ZonedClock) {
  return revisionFormSchema.extend({
    note: z
      .string()
      .overwrite(withLfLineEnds)
      .max(2000, { error: msg('must be at most 2000 characters') })
      .default(''),
    publish_at: scheduleTimeField(clock).transform((at) => at ?? undefined),
  });
}

/** What the person reads after moving an item: where it is now (and, for an approval still short, how many there are). */
function movedMessage(result: TransitionResult): string {
  if (result.approvals && result.to !== 'approved')
    return msg('Approved ({{count}} of {{required}}): it stays in review until enough approvers agree.', {
      count: result.approvals.count,
      required: result.approvals.required,
    });
  return msg('Now {{status}}.', { status: nested(statusLabel(result.to), { lower: true }) });
}

/** The list's bulk actions: submitting drafts for review, archiving. */
export const BULK_ACTIONS = ['submit', 'archive'] as const satisfies readonly TransitionAction[];

/** Checked items arrive as one id or many (`ids`); at most a page's worth, digits only. */
const bulkSchema = z.object({
  ids: z.union([z.string(), z.array(z.string())], { error: msg('is required: check at least one item') }).transform((v, ctx) => {
    if (Array.isArray(v) && v.length > 100) {
      ctx.addIssue({ code: 'custom', message: msg('may hold at most 100 items') });
      return z.NEVER;
    }
    const ids = [...new Set((Array.isArray(v) ? v : [v]).map(parseNumericId))];
    if (ids.includes(undefined) || !ids.length) {
      ctx.addIssue({ code: 'custom', message: msg('must be items of this list') });
      return z.NEVER;
    }
    return ids as number[];
  }),
});

const commentFormSchema = z.object({
  comment: z
    .string({ error: msg('is required') })
    .overwrite(withLfLineEnds)
    .trim()
    .max(5000, { error: msg('must be at most 5000 characters') })
    .refine(showsSomething, { error: msg('is required') }),
});

/** A refused form on the item page re-renders that page (loaded only then) with the reasons. */

export function itemRoutes(table: TenantRouteTable, services: ItemStepServices, later: Later): void {
  const { edit, move, remove } = itemSteps(services, later);

  table.get('/items', 'content.view', (ctx, req, res) => {
    res.render('tenant/items', loadItemsPage(ctx, req));
  });

  table.post('/items', { permission: 'content.create', form: { view: 'tenant/item-new', load: loadNewItemPage } }, (ctx, req, res) => {
    const id = createItem(workflowOf(ctx), parseInput(itemInputSchema(clockOf(ctx)), req.body));
    flash(req, msg('Draft created.'));
    res.redirect(303, ctx.url(`/items/${id}`));
  });

  table.get('/items/new', 'content.create', (ctx, _req, res) => {
    res.render('tenant/item-new', { ...loadNewItemPage(ctx), values: {}, errors: {} });
  });

  table.get('/items/:id', 'content.view', (ctx, req, res) => {
    res.render('tenant/item', { ...loadItemPage(ctx, itemOf(ctx, req), req.query), values: {}, errors: {} });
  });

  table.get('/api/items/:id', { permission: 'content.view', answers: 'json' }, (ctx, req, res) => {
    const item = itemOf(ctx, req);
    res.json({ item: { ...item, tags: new ItemRepository(ctx.db).tagsOf(item.id) } });
  });

  table.post('/items/:id', { permission: 'content.edit', form: itemPageForm }, (ctx, req, res) => {
    const id = itemIdOf(req);
    const clock = clockOf(ctx);
    const input = parseInput(itemInputSchema(clock), req.body);
    const revision = parseInput(revisionFormSchema, req.body).revision;
    const sentBack = (current: CurrentContent) => ({
      ...input,
      scheduled_at: plannedTimeSentBack(clock, req.body.scheduled_at, current.scheduled_at, input.scheduled_at),
    });
    const edited = edit(ctx, id, sentBack, { revision });
    flash(req, edited.approvalsReset ? 'Saved. The content changed, so its approvals start again.' : 'Saved.');
    res.redirect(303, ctx.url(`/items/${id}`));
  });

  // What can be deleted in which state, and with which permission, is the transition table's (drafts and archived items).
  table.post(
    '/items/:id/delete',
    {
      permission: DELETE_PERMISSION,
      // Refused in its state (in review, published): said on the item's page.
      form: itemPageForm,
      confirm: (ctx, req) => ({
        title: msg('Delete “{{title}}”?', { title: itemOf(ctx, req).title }),
        message: msg('The item, its comments, history and attachments are deleted for good.'),
        confirmLabel: msg('Delete the item'),
        cancelHref: ctx.url(`/items/${itemIdOf(req)}`),
      }),
    },
    async (ctx, req, res) => {
      const item = await remove(ctx, itemIdOf(req));
      flash(req, msg('“{{title}}” was deleted.', { title: item.title }));
      res.redirect(303, ctx.url('/items'));
    },
  );

  // Commenting is gated in the command (any writing or reviewing permission); reading the item is the route's floor.
  table.post('/items/:id/comments', { permission: 'content.view', form: itemPageForm }, (ctx, req, res) => {
    const id = itemIdOf(req);
    commentOnItem(workflowOf(ctx), id, parseInput(commentFormSchema, req.body).comment);
    flash(req, msg('Comment added.'));
    res.redirect(303, ctx.url(`/items/${id}#comments`));
  });

  // The list's bulk actions (before /items/:id/..., which would take `bulk` for an id): each checked
  // item moves on its own, and one that cannot is counted, not fatal.
  for (const action of BULK_ACTIONS) {
    table.post(`/items/bulk/${action}`, permissionFor(action), (ctx, req, res) => {
      const { ids } = parseInput(bulkSchema, req.body);
      let done = 0;
      for (const id of ids) {
        try {
          move(ctx, id, action);
          done++;
        } catch (error) {
          // Not found, not allowed from its state, or refused by the rules: left as it was.
          if (!(error instanceof AppError) || error.status >= 500) throw error;
        }
      }
      // Back to the page of the list, with its filters, that the items were checked on.
      res.redirect(303, backToList(req.body?.return, ctx.url('/items'), { bulk: action, done, failed: ids.length - done }));
    });
  }

  // One route per workflow action, gated by the permission the transition table gives it.
  for (const action of TRANSITION_ACTIONS) {
    table.post(`/items/:id/${action}`, { permission: permissionFor(action), feature: featureFor(action), form: itemPageForm }, (ctx, req, res) => {
      const id = itemIdOf(req);
      const clock = clockOf(ctx);
      const input = parseInput(transitionFormSchema(clock), req.body);
      // A time sent back as the page showed it keeps the planned instant (its seconds, its side of a repeated hour).
      const scheduledAt =
        input.publish_at === undefined
          ? undefined
          : (plannedTimeSentBack(clock, req.body.publish_at, itemOf(ctx, req).scheduled_at, input.publish_at) ?? undefined);
      const result = move(ctx, id, action, { note: input.note, scheduledAt, revision: input.revision });
      flash(req, movedMessage(result));
      res.redirect(303, ctx.url(`/items/${id}`));
    });
  }
}
