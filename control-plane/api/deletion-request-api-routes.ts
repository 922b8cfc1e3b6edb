import { z } from 'zod';
import type { Request } from 'express';
import { onlyKnownFields } from '../../core/http/parse-input';
import { runIdempotent, type IdempotencyScope } from '../../core/http/idempotent';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { DeletionRequestRepository, type DeletionRequest } from '../deletion-requests/deletion-request-repository';
import { deletionRequestSchema } from '../deletion-requests/deletion-request-schemas';
import { requestDeletion, withdrawDeletionRequest } from '../deletion-requests/request-deletion';

const askBody = deletionRequestSchema.strict();
const requestSchema = z.object({
  requested_by: z.string().describe('The id of the owner who asked'),
  requester_name: z.string(),
  requested_at: z.string(),
  reason: z.string().nullable(),
});

function requestJson(r: DeletionRequest) {
  return { requested_by: r.requested_by, requester_name: r.requester_name, requested_at: new Date(r.requested_at).toISOString(), reason: r.reason };
}

/**
 * The workspace's deletion request over the REST API (decision 056): read, ask, withdraw, through
 * the settings page's commands with its permission (`tenant.delete.request`, withheld while
 * impersonating). As on the page, no request id is read from the path or the body: the workspace
 * in the path is the only one whose request a member can reach. The request lives in the control
 * plane, so the keys of its POSTs do too (the team's scope, per tenant and token).
 */
export function deletionRequestApiRoutes(
  table: TenantRouteTable,
  platform: ControlPlane,
  scopeOf: (tenant: { id: string }, req: Request) => IdempotencyScope,
): void {
  const requests = new DeletionRequestRepository(platform.db);

  table.get(
    '/settings/deletion-request',
    {
      permission: 'tenant.delete.request',
      answers: 'json',
      doc: {
        summary: "Read the workspace's pending deletion request",
        description: 'null when none is pending: never asked, withdrawn, declined, or ended by an archive.',
        tags: ['Settings'],
        responses: { 200: { description: 'The pending request, or null', schema: z.object({ data: requestSchema.nullable() }) } },
      },
    },
    (ctx, _req, res) => {
      const request = requests.find(ctx.tenant.id);
      res.json({ data: request ? requestJson(request) : null });
    },
  );

  table.post(
    '/settings/deletion-request',
    {
      permission: 'tenant.delete.request',
      answers: 'json',
      doc: {
        summary: 'Ask for the workspace to be deleted',
        description:
          "Confirmed by the workspace's slug in `confirm`, with an optional `reason` (one line, at most 500 characters). The platform's super admins are mailed; they archive the workspace or decline with a note. The workspace keeps working meanwhile. While a request is pending (asked twice, or by another owner), the pending one stays and is answered (200, `repeated: true`), nothing written or mailed.",
        tags: ['Settings'],
        body: askBody,
        idempotent: true,
        responses: {
          201: { description: 'The request, made', schema: z.object({ data: requestSchema, repeated: z.literal(false) }) },
          200: { description: 'The request already pending', schema: z.object({ data: requestSchema, repeated: z.literal(true) }) },
        },
      },
    },
    (ctx, req, res) =>
      runIdempotent(scopeOf(ctx.tenant, req), req, res, () => {
        const { request, repeated } = requestDeletion(platform, ctx.actor, onlyKnownFields(askBody, req.body));
        res.status(repeated ? 200 : 201).json({ data: requestJson(request), repeated });
      }),
  );

  table.post(
    '/settings/deletion-request/withdraw',
    {
      permission: 'tenant.delete.request',
      answers: 'json',
      doc: {
        summary: "Withdraw the workspace's deletion request",
        description: '`withdrawn` is false when none was pending (withdrawn already, or declined meanwhile): answered as done.',
        tags: ['Settings'],
        idempotent: true,
        responses: { 200: { description: 'Whether a pending request was withdrawn', schema: z.object({ data: z.object({ withdrawn: z.boolean() }) }) } },
      },
    },
    (ctx, req, res) =>
      runIdempotent(scopeOf(ctx.tenant, req), req, res, () => {
        res.json({ data: { withdrawn: withdrawDeletionRequest(platform, ctx.actor) } });
      }),
  );
}
