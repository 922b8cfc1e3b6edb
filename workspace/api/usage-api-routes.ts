import { z } from 'zod';
import { noQuery, parseQuery } from '../../core/http/parse-input';
import { LIMIT_KEYS } from '../../tenant-runtime/plan-catalogue';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { usageReport } from '../usage/usage-report';
import type { WorkspaceServices } from '../workspace-services';

const usageSchema = z.object({
  data: z.array(
    z.object({
      key: z.enum(LIMIT_KEYS),
      used: z.number().int(),
      limit: z.number().int().nullable(),
      percent: z.number().int().nullable(),
    }),
  ),
});

/** Each limit's use, value and share used, over the API (the figures of the usage page). */
export function usageApiRoutes(table: TenantRouteTable, services: Pick<WorkspaceServices, 'usageSources'>): void {
  table.get(
    '/usage',
    {
      permission: 'usage.view',
      answers: 'json',
      doc: {
        summary: "Read the workspace's usage of each limit",
        description: "For a per-member limit, `used` is the busiest member's use. `limit` and `percent` are null when the limit is unlimited.",
        tags: ['Usage'],
        query: noQuery,
        responses: { 200: { description: 'Every limit with its use', schema: usageSchema } },
      },
    },
    (ctx, req, res) => {
      parseQuery(noQuery, req.query);
      res.json({ data: usageReport(ctx.db, ctx.entitlements, { sources: services.usageSources }) });
    },
  );
}
