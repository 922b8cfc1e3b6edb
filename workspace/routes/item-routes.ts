import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import type { Platform } from '../../app/create-platform';
import { ConflictError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { formView } from '../../core/http/form-view';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { ItemRepository, type ItemRow } from '../items/item-repository';
import { ItemHistory } from '../items/item-history';
import { ItemComments } from '../items/item-comments';
import { ItemApprovals } from '../items/item-approvals';
import { filterQuery, itemFilterSchema, itemInputSchema, pageSchema } from '../items/item-schemas';
import { countItems, listItems } from '../items/item-query';
import { parseScheduleTime, toDateTimeLocal } from '../items/schedule-time';
import { EDITABLE_STATUSES, ITEM_STATUSES } from '../workflow/item-status';
import { TRANSITION_ACTIONS, canComment, permissionFor, transitionsFrom, type TransitionAction } from '../workflow/transition-table';
import { loadWorkflowRules } from '../workflow/workflow-rules';
import { createItem } from '../workflow/create-item';
import { editItem } from '../workflow/edit-item';
import { transitionItem } from '../workflow/transition-item';
import { commentOnItem } from '../workflow/comment-on-item';
import { ScheduleHints } from '../scheduler/schedule-hints';
import { itemOf, tenantOf, viewHelpers, workflowOf } from './item-route-helpers';

const PAGE_SIZE = 25;

const transitionFormSchema = z.object({
  note: z.string().max(2000, { error: 'must be at most 2000 characters' }).default(''),
  // The schedule form's time; named apart from the edit form's scheduled_at, which shares the page.
  publish_at: z
    .string()
    .max(40)
    .default('')
    .transform((text, ctx) => {
      if (!text.trim()) return undefined;
      const at = parseScheduleTime(text);
      if (at === null) ctx.addIssue({ code: 'custom', message: 'is not a date and time (use YYYY-MM-DD HH:MM, UTC)' });
      return at ?? undefined;
    }),
});

const commentFormSchema = z.object({
  comment: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(5000, { error: 'must be at most 5000 characters' }),
});

/** Everything the item page shows; also what a refused form re-renders with. */
function itemPageLocals(req: Request, item: ItemRow): Record<string, unknown> {
  const tenant = tenantOf(req);
  const rules = loadWorkflowRules(tenant.db);
  const tags = new ItemRepository(tenant.db).tagsOf(item.id);
  const approvers = new ItemApprovals(tenant.db).approvers(item.id, item.revision);
  const userId = req.user?.id;
  // The transition table decides what this role may do; the rules hide an approval that would be refused.
  const actions = transitionsFrom(item.status, tenant.permissions).filter(
    (t) => t.action !== 'approve' || !(approvers.includes(userId ?? '') || (!rules.allowSelfApproval && item.created_by === userId)),
  );
  return {
    ...viewHelpers,
    title: item.title,
    item,
    tags,
    rules,
    actions,
    approvals: { count: approvers.length, required: rules.approvalsRequired },
    history: new ItemHistory(tenant.db).forItem(item.id),
    comments: new ItemComments(tenant.db).forItem(item.id),
    canEdit: tenant.permissions.has('content.edit') && EDITABLE_STATUSES.includes(item.status),
    canDelete: tenant.permissions.has('content.edit') && item.status === 'draft',
    canComment: canComment(tenant.permissions),
    itemValues: { title: item.title, body: item.body, channel: item.channel, tags: tags.join(', '), scheduled_at: toDateTimeLocal(item.scheduled_at), publish_at: toDateTimeLocal(item.scheduled_at) },
  };
}

/** A refused form on the item page re-renders that page with the reasons (400). */
const itemPageForm: RequestHandler = (req, res, next) => formView('tenant/item', itemPageLocals(req, itemOf(req)))(req, res, next);

function newItemLocals(req: Request): Record<string, unknown> {
  return { title: 'New item', rules: loadWorkflowRules(tenantOf(req).db) };
}

export function itemRoutes(table: TenantRouteTable, platform: Platform): void {
  const hints = new ScheduleHints(platform.db);

  table.get('/items', 'content.view', (req, res) => {
    const tenant = tenantOf(req);
    const filter = parseInput(itemFilterSchema, req.query);
    const page = pageSchema.parse(req.query.page);
    const total = countItems(tenant.db, filter);
    const items = listItems(tenant.db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    const tags = new ItemRepository(tenant.db).tagsFor(items.map((i) => i.id));
    const imported = z.object({ imported: z.coerce.number().int().min(0), updated: z.coerce.number().int().min(0), skipped: z.coerce.number().int().min(0) }).safeParse(req.query);
    res.render('tenant/items', {
      ...viewHelpers,
      title: 'Items',
      items,
      tags,
      filter,
      total,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      statuses: ITEM_STATUSES,
      rules: loadWorkflowRules(tenant.db),
      filterQuery,
      imported: imported.success ? imported.data : undefined,
    });
  });

  table.post('/items', 'content.create', (req, res, next) => formView('tenant/item-new', newItemLocals(req))(req, res, next), (req, res) => {
    const tenant = tenantOf(req);
    const id = createItem(workflowOf(req), parseInput(itemInputSchema, req.body));
    res.redirect(303, `/t/${tenant.slug}/items/${id}`);
  });

  table.get('/items/new', 'content.create', (req, res) => {
    res.render('tenant/item-new', { ...newItemLocals(req), values: {}, errors: {} });
  });

  table.get('/items/:id', 'content.view', (req, res) => {
    res.render('tenant/item', { ...itemPageLocals(req, itemOf(req)), values: {}, errors: {} });
  });

  table.get('/api/items/:id', 'content.view', (req, res) => {
    const item = itemOf(req);
    res.json({ item: { ...item, tags: new ItemRepository(tenantOf(req).db).tagsOf(item.id) } });
  });

  table.post('/items/:id', 'content.edit', itemPageForm, (req, res) => {
    const tenant = tenantOf(req);
    const item = itemOf(req);
    editItem(workflowOf(req), item.id, parseInput(itemInputSchema, req.body));
    res.redirect(303, `/t/${tenant.slug}/items/${item.id}`);
  });

  // Only drafts are deleted; anything that entered the workflow is archived, keeping its history.
  table.post('/items/:id/delete', 'content.edit', (req, res) => {
    const tenant = tenantOf(req);
    const item = itemOf(req);
    if (item.status !== 'draft') throw new ConflictError('Only drafts can be deleted; archive this item instead.', { itemId: item.id });
    new ItemRepository(tenant.db).delete(item.id);
    res.redirect(303, `/t/${tenant.slug}/items`);
  });

  // Commenting is gated in the command (any writing or reviewing permission); reading the item is the route's floor.
  table.post('/items/:id/comments', 'content.view', itemPageForm, (req, res) => {
    const tenant = tenantOf(req);
    const item = itemOf(req);
    commentOnItem(workflowOf(req), item.id, parseInput(commentFormSchema, req.body).comment);
    res.redirect(303, `/t/${tenant.slug}/items/${item.id}#comments`);
  });

  // One route per workflow action, gated by the permission the transition table gives it.
  for (const action of TRANSITION_ACTIONS) {
    table.post(`/items/:id/${action}`, permissionFor(action), itemPageForm, (req, res) => {
      const tenant = tenantOf(req);
      const item = itemOf(req);
      const input = parseInput(transitionFormSchema, req.body);
      const result = transitionItem(workflowOf(req), item.id, action as TransitionAction, { note: input.note, scheduledAt: input.publish_at });
      if (result.to === 'scheduled' && result.item.scheduled_at !== null) hints.noteDue(tenant.id, result.item.scheduled_at);
      res.redirect(303, `/t/${tenant.slug}/items/${item.id}`);
    });
  }
}
