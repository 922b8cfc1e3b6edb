import { z } from 'zod';
import { ConflictError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { TenantRouteTable, PageLoader } from '../../tenant-runtime/tenant-route-table';
import type { WorkspaceServices } from '../workspace-services';
import { ItemRepository } from '../items/item-repository';
import { itemInputSchema, scheduleTimeField } from '../items/item-schemas';
import type { ZonedClock } from '../../core/time/zoned-clock';
import { clockOf } from '../pages/view-helpers';
import { TRANSITION_ACTIONS, permissionFor } from '../workflow/transition-table';
import { createItem } from '../workflow/create-item';
import { editItem } from '../workflow/edit-item';
import { transitionItem } from '../workflow/transition-item';
import { commentOnItem } from '../workflow/comment-on-item';
import { loadItemPage } from '../pages/item-page';
import { loadItemsPage, loadNewItemPage } from '../pages/items-page';
import { itemIdOf, itemOf, workflowOf } from './item-route-helpers';

/** The schedule form's time is named apart from the edit form's scheduled_at, which shares the page. */
function transitionFormSchema(clock: ZonedClock) {
  return z.object({
    note: z.string().max(2000, { error: 'must be at most 2000 characters' }).default(''),
    publish_at: scheduleTimeField(clock).transform((at) => at ?? undefined),
  });
}

const commentFormSchema = z.object({
  comment: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(5000, { error: 'must be at most 5000 characters' }),
});

/** A refused form on the item page re-renders that page (loaded only then) with the reasons. */
const itemPageForm = { view: 'tenant/item', load: ((ctx, req) => loadItemPage(ctx, itemOf(ctx, req))) satisfies PageLoader };

export function itemRoutes(table: TenantRouteTable, services: Pick<WorkspaceServices, 'scheduleHints' | 'webhookHints'>): void {
  table.get('/items', 'content.view', (ctx, req, res) => {
    res.render('tenant/items', loadItemsPage(ctx, req));
  });

  table.post('/items', { permission: 'content.create', form: { view: 'tenant/item-new', load: loadNewItemPage } }, (ctx, req, res) => {
    const id = createItem(workflowOf(ctx), parseInput(itemInputSchema(clockOf(ctx)), req.body));
    res.redirect(303, ctx.url(`/items/${id}`));
  });

  table.get('/items/new', 'content.create', (ctx, _req, res) => {
    res.render('tenant/item-new', { ...loadNewItemPage(ctx), values: {}, errors: {} });
  });

  table.get('/items/:id', 'content.view', (ctx, req, res) => {
    res.render('tenant/item', { ...loadItemPage(ctx, itemOf(ctx, req)), values: {}, errors: {} });
  });

  table.get('/api/items/:id', { permission: 'content.view', answers: 'json' }, (ctx, req, res) => {
    const item = itemOf(ctx, req);
    res.json({ item: { ...item, tags: new ItemRepository(ctx.db).tagsOf(item.id) } });
  });

  table.post('/items/:id', { permission: 'content.edit', form: itemPageForm }, (ctx, req, res) => {
    const id = itemIdOf(req);
    editItem(workflowOf(ctx), id, parseInput(itemInputSchema(clockOf(ctx)), req.body));
    res.redirect(303, ctx.url(`/items/${id}`));
  });

  // Only drafts are deleted; anything that entered the workflow is archived, keeping its history.
  table.post('/items/:id/delete', 'content.edit', (ctx, req, res) => {
    const item = itemOf(ctx, req);
    if (item.status !== 'draft') throw new ConflictError('Only drafts can be deleted; archive this item instead.', { itemId: item.id });
    new ItemRepository(ctx.db).delete(item.id);
    ctx.audit({ action: 'item.delete', targetType: 'item', targetId: String(item.id), before: { title: item.title, status: item.status } });
    res.redirect(303, ctx.url('/items'));
  });

  // Commenting is gated in the command (any writing or reviewing permission); reading the item is the route's floor.
  table.post('/items/:id/comments', { permission: 'content.view', form: itemPageForm }, (ctx, req, res) => {
    const id = itemIdOf(req);
    commentOnItem(workflowOf(ctx), id, parseInput(commentFormSchema, req.body).comment);
    res.redirect(303, ctx.url(`/items/${id}#comments`));
  });

  // One route per workflow action, gated by the permission the transition table gives it.
  for (const action of TRANSITION_ACTIONS) {
    table.post(`/items/:id/${action}`, { permission: permissionFor(action), form: itemPageForm }, (ctx, req, res) => {
      const id = itemIdOf(req);
      const input = parseInput(transitionFormSchema(clockOf(ctx)), req.body);
      const result = transitionItem(workflowOf(ctx), id, action, { note: input.note, scheduledAt: input.publish_at });
      if (result.to === 'scheduled' && result.scheduledAt !== null) services.scheduleHints.noteDue(ctx.tenant.id, result.scheduledAt);
      if (result.eventsQueued) services.webhookHints.noteDue(ctx.tenant.id, Date.now());
      ctx.audit({
        action: `item.${action}`,
        targetType: 'item',
        targetId: String(id),
        before: { status: result.from },
        after: { status: result.to, ...(result.approvals ? { approvals: result.approvals } : {}) },
      });
      res.redirect(303, ctx.url(`/items/${id}`));
    });
  }
}
