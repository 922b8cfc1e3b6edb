import { NotFoundError } from '../../core/errors/app-errors';
import { cursorPosition, pageOf } from '../../core/http/page-query';
import { parseInput, parseQuery } from '../../core/http/parse-input';
import { keyScope, principalOf, runIdempotent, runIdempotentAsync, type IdempotencyScope } from '../../core/http/idempotent';
import type { Config } from '../../core/config/load-config';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { Request } from 'express';
import type { Later } from '../workspace-services';
import { ItemRepository } from '../items/item-repository';
import { listItemsBefore } from '../items/item-query';
import { DELETE_PERMISSION, TRANSITION_ACTIONS, featureFor, permissionFor } from '../workflow/transition-table';
import { createItem } from '../workflow/create-item';
import { itemSteps, type DeletedItem, type ItemStepServices } from '../routes/item-steps';
import { itemIdOf, itemOf, workflowOf } from '../routes/item-route-helpers';
import { itemResource, encodeCursor, decodeCursor } from './item-resources';
import {
  deletedItemSchema,
  itemCreateSchema,
  itemDeleteSchema,
  itemEnvelope,
  itemIdParams,
  itemListQuerySchema,
  itemPageSchema,
  itemPatchSchema,
  transitionBodySchema,
  transitionResultSchema,
} from './item-api-schemas';

const TAGS = ['Items'];

function itemJson(ctx: TenantRequestContext, id: number) {
  const repo = new ItemRepository(ctx.db);
  const item = repo.find(id);
  if (!item) throw new NotFoundError();
  return itemResource(item, repo.tagsOf(id));
}

/** Idempotency keys of a tenant's POSTs live in its own file, per token (or signed-in user), fingerprinted with the server's secret. */
export function idempotencyScope(ctx: TenantRequestContext, req: Request, config: Pick<Config, 'sessionSecret'>): IdempotencyScope {
  return keyScope(ctx.db, principalOf(req), config);
}

/** Items over the REST API: list (filters, cursor), read, create, edit, delete, and one route per workflow action. */
export function itemApiRoutes(table: TenantRouteTable, services: ItemStepServices, later: Later): void {
  const { edit, move, remove } = itemSteps(services, later);
  table.get(
    '/items',
    {
      permission: 'content.view',
      answers: 'json',
      doc: {
        summary: 'List items, newest first',
        tags: TAGS,
        query: itemListQuerySchema,
        responses: { 200: { description: 'A page of items', schema: itemPageSchema } },
      },
    },
    (ctx, req, res) => {
      const { limit, cursor, ...filter } = parseQuery(itemListQuerySchema, req.query);
      const before = cursorPosition(cursor, decodeCursor);
      const { page, nextCursor } = pageOf(listItemsBefore(ctx.db, filter, limit + 1, before), limit, (last) => encodeCursor(last.id));
      const tags = page.length ? new ItemRepository(ctx.db).tagsFor(page.map((i) => i.id)) : new Map<number, string[]>();
      res.json({
        data: page.map((i) => itemResource(i, tags.get(i.id) ?? [])),
        next_cursor: nextCursor,
      });
    },
  );

  table.post(
    '/items',
    {
      permission: 'content.create',
      answers: 'json',
      doc: {
        summary: 'Create a draft',
        tags: TAGS,
        body: itemCreateSchema,
        idempotent: true,
        responses: { 201: { description: 'The new draft', schema: itemEnvelope } },
      },
    },
    (ctx, req, res) =>
      runIdempotent(idempotencyScope(ctx, req, services.config), req, res, () => {
        const id = createItem(workflowOf(ctx), parseInput(itemCreateSchema, req.body));
        res
          .status(201)
          .location(`${req.baseUrl}/items/${id}`)
          .json({ data: itemJson(ctx, id) });
      }),
  );

  table.get(
    '/items/:id',
    {
      permission: 'content.view',
      answers: 'json',
      doc: { summary: 'Read an item', tags: TAGS, params: itemIdParams, responses: { 200: { description: 'The item', schema: itemEnvelope } } },
    },
    (ctx, req, res) => {
      res.json({ data: itemJson(ctx, itemOf(ctx, req).id) });
    },
  );

  table.patch(
    '/items/:id',
    {
      permission: 'content.edit',
      answers: 'json',
      doc: {
        summary: 'Edit an item',
        description:
          'Only the fields sent change. A change of title, body, channel or tags starts a new revision (approvals reset). Send the `revision` you read: if someone changed the item since, the answer is 409 revision_conflict and nothing is changed, unless the change would change nothing (sent again once made): that is answered as done.',
        tags: TAGS,
        params: itemIdParams,
        body: itemPatchSchema,
        responses: { 200: { description: 'The item after the edit', schema: itemEnvelope } },
      },
    },
    (ctx, req, res) => {
      const item = itemOf(ctx, req);
      const { revision, ...patch } = parseInput(itemPatchSchema, req.body);
      const sent = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      // Merged with the item as it is inside the write: a change made in between (another process) is kept.
      edit(ctx, item.id, (current) => ({ ...current, tags: patch.tags ?? current.tags(), ...sent }), { revision });
      res.json({ data: itemJson(ctx, item.id) });
    },
  );

  // As from the item page: what can be deleted in which state is the transition table's.
  table.post(
    '/items/:id/delete',
    {
      permission: DELETE_PERMISSION,
      answers: 'json',
      doc: {
        summary: 'Delete a draft or an archived item',
        description:
          'Deletes the item with its comments, history and attachments (their files too), for good. Only drafts and archived items can be deleted (409 otherwise: archive the item first; a published item stays). Deleting archived items is how a workspace at its item limit makes room. Send the `revision` you read to delete only that revision: if someone changed the item since, the answer is 409 revision_conflict and nothing is deleted. The body may be left out.',
        tags: TAGS,
        params: itemIdParams,
        body: itemDeleteSchema,
        idempotent: true,
        responses: { 200: { description: 'The item as it was deleted', schema: deletedItemSchema } },
      },
    },
    (ctx, req, res) =>
      runIdempotentAsync(idempotencyScope(ctx, req, services.config), req, res, async (answerWithEffect) => {
        const { revision } = parseInput(itemDeleteSchema, req.body);
        const answer = (item: DeletedItem) => ({ data: { id: item.id, title: item.title, status: item.status, deleted: true } });
        // Stored with the deletion: a failure or a kill before the files are gone replays it to the retry.
        const item = await remove(ctx, itemIdOf(req), 'api', revision, (deleted) => answerWithEffect(200, answer(deleted)));
        res.json(answer(item));
      }),
  );

  for (const action of TRANSITION_ACTIONS) {
    table.post(
      `/items/:id/${action}`,
      {
        permission: permissionFor(action),
        feature: featureFor(action),
        answers: 'json',
        doc: {
          summary: `Workflow: ${action.replace('-', ' ')}`,
          tags: ['Workflow'],
          params: itemIdParams,
          body: transitionBodySchema,
          idempotent: true,
          responses: { 200: { description: 'The item after the move', schema: transitionResultSchema } },
        },
      },
      (ctx, req, res) =>
        runIdempotent(idempotencyScope(ctx, req, services.config), req, res, () => {
          const id = itemIdOf(req);
          const input = parseInput(transitionBodySchema, req.body);
          // The same step as from the page: hints, audit record and workflow mail (item-steps.ts).
          const result = move(ctx, id, action, { note: input.note, scheduledAt: input.publish_at, revision: input.revision }, 'api');
          res.json({ data: itemJson(ctx, id), transition: { from: result.from, to: result.to, ...(result.approvals ? { approvals: result.approvals } : {}) } });
        }),
    );
  }
}
