import { z } from 'zod';
import { limitPolicyOf } from '../../tenant-runtime/limit-check';
import { cursorPosition, pageOf } from '../../core/http/page-query';
import { parseInput, parseQuery } from '../../core/http/parse-input';
import { runIdempotent, runIdempotentAsync } from '../../core/http/idempotent';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { WorkspaceServices } from '../workspace-services';
import { ItemComments } from '../items/item-comments';
import { AttachmentRepository, parsePosition, positionText } from '../files/attachment-repository';
import { sendAttachment } from '../files/send-attachment';
import { singleFileUpload, uploadedFile } from '../files/single-file-upload';
import { sweepOrphanFiles } from '../files/sweep-orphan-files';
import { TenantFileStore } from '../files/tenant-file-store';
import { ATTACHMENT_MAX_BYTES, uploadAttachment } from '../files/upload-attachment';
import { commentOnItem } from '../workflow/comment-on-item';
import { attachmentOf, itemMustTakeFiles } from '../routes/file-routes';
import { itemIdOf, itemOf, workflowOf } from '../routes/item-route-helpers';
import { attachmentResource, commentResource, decodeCursor, encodeCursor } from './item-resources';
import {
  attachmentPageSchema,
  attachmentResourceSchema,
  commentBodySchema,
  pageListQuerySchema,
  commentPageSchema,
  commentResourceSchema,
  itemIdParams,
} from './item-api-schemas';
import { idempotencyScope } from './item-api-routes';

const fileParams = z.object({ slug: z.string(), fileId: z.string().regex(/^f[0-9a-f]{24}$/) });
const uploadSchema = z.strictObject({ file: z.string().describe('The file (multipart part named "file"), at most 5 MB') });

/** Comments and attachments of an item over the REST API. */
export function itemDetailApiRoutes(table: TenantRouteTable, services: Pick<WorkspaceServices, 'config' | 'logger'>): void {
  const storeOf = (ctx: TenantRequestContext) => TenantFileStore.forTenant(services.config.dataDir, ctx.tenant.id);

  table.get(
    '/items/:id/comments',
    {
      permission: 'content.view',
      answers: 'json',
      doc: {
        summary: "List an item's comments, oldest first",
        tags: ['Comments'],
        params: itemIdParams,
        query: pageListQuerySchema,
        responses: { 200: { description: 'A page of comments', schema: commentPageSchema } },
      },
    },
    (ctx, req, res) => {
      const { limit, cursor } = parseQuery(pageListQuerySchema, req.query);
      const after = cursorPosition(cursor, decodeCursor);
      const rows = new ItemComments(ctx.db).after(itemOf(ctx, req).id, limit + 1, after);
      const { page, nextCursor } = pageOf(rows, limit, (last) => encodeCursor(last.id));
      res.json({ data: page.map(commentResource), next_cursor: nextCursor });
    },
  );

  // As on the pages: reading the item is the route's floor; the command needs a writing or reviewing permission.
  table.post(
    '/items/:id/comments',
    {
      permission: 'content.view',
      answers: 'json',
      doc: {
        summary: 'Comment on an item',
        description: 'Needs any of content.create, content.edit, content.approve or content.publish.',
        tags: ['Comments'],
        params: itemIdParams,
        body: commentBodySchema,
        idempotent: true,
        responses: { 201: { description: 'The comment', schema: z.object({ data: commentResourceSchema }) } },
      },
    },
    (ctx, req, res) =>
      runIdempotent(idempotencyScope(ctx, req, services.config), req, res, () => {
        const id = commentOnItem(workflowOf(ctx), itemIdOf(req), parseInput(commentBodySchema, req.body).body);
        const comment = new ItemComments(ctx.db).find(itemIdOf(req), id);
        res.status(201).json({ data: comment ? commentResource(comment) : null });
      }),
  );

  table.get(
    '/items/:id/attachments',
    {
      permission: 'content.view',
      feature: 'attachments',
      answers: 'json',
      doc: {
        summary: "List an item's attachments, oldest first",
        tags: ['Attachments'],
        params: itemIdParams,
        query: pageListQuerySchema,
        responses: { 200: { description: 'A page of attachments', schema: attachmentPageSchema } },
      },
    },
    (ctx, req, res) => {
      const { limit, cursor } = parseQuery(pageListQuerySchema, req.query);
      const after = cursorPosition(cursor, (text) => parsePosition(Buffer.from(text, 'base64url').toString()));
      const rows = new AttachmentRepository(ctx.db).after(itemOf(ctx, req).id, limit + 1, after);
      const { page, nextCursor } = pageOf(rows, limit, (last) => Buffer.from(positionText(last)).toString('base64url'));
      res.json({ data: page.map(attachmentResource), next_cursor: nextCursor });
    },
  );

  table.post(
    '/items/:id/attachments',
    {
      permission: 'content.edit',
      feature: 'attachments',
      answers: 'json',
      before: [itemMustTakeFiles, singleFileUpload('file', ATTACHMENT_MAX_BYTES)],
      doc: {
        summary: 'Attach a file to an item',
        description: 'An image, PDF, plain text, CSV or office document, typed by its bytes; refused (409) once the item is scheduled, published or archived.',
        tags: ['Attachments'],
        params: itemIdParams,
        body: uploadSchema,
        bodyType: 'multipart/form-data',
        idempotent: true,
        responses: { 201: { description: 'The attachment', schema: z.object({ data: attachmentResourceSchema }) } },
      },
    },
    (ctx, req, res) =>
      runIdempotentAsync(idempotencyScope(ctx, req, services.config), req, res, async (answerWithEffect) => {
        // Stored with the row: a failure or a kill after it replays the attachment to the retry, never a second one.
        const { row, added } = await uploadAttachment(
          ctx.db,
          storeOf(ctx),
          itemIdOf(req),
          uploadedFile(req, 'file'),
          { id: ctx.actor.userId, name: ctx.actor.name },
          limitPolicyOf(ctx),
          (recorded) => answerWithEffect(201, { data: attachmentResource(recorded) }),
        );
        if (added)
          ctx.audit({
            action: 'file.uploaded',
            targetType: 'file',
            targetId: row.id,
            after: { item: row.item_id, name: row.original_name, size: row.size_bytes, sha256: row.sha256 },
          });
        await sweepOrphanFiles(ctx.db, storeOf(ctx)).catch((err: unknown) => services.logger.warn({ err, tenantId: ctx.tenant.id }, 'file sweep failed'));
        res.status(201).json({ data: attachmentResource(row) });
      }),
  );

  table.get(
    '/files/:fileId',
    {
      permission: 'content.view',
      feature: 'attachments',
      answers: 'json',
      doc: {
        summary: 'Download an attachment',
        tags: ['Attachments'],
        params: fileParams,
        responses: { 200: { description: 'The bytes, with their content type, as an attachment', contentType: 'application/octet-stream' } },
      },
    },
    async (ctx, req, res) => {
      await sendAttachment(res, storeOf(ctx), attachmentOf(ctx, req));
    },
  );
}
