import { z } from 'zod';
import { currentZoneName } from '../../core/time/zone-names';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { loadTenantSettings } from '../settings/tenant-settings';
import { loadWorkflowRules } from '../workflow/workflow-rules';
import { MB } from '../files/storage-usage';

const settingsSchema = z.object({
  data: z.object({
    display_name: z.string(),
    accent_color: z.string(),
    time_zone: z.string().describe('The IANA name the zone goes by now (Asia/Kolkata, not Asia/Calcutta), as the pages show it'),
    language: z.string(),
    storage_quota_mb: z.number().nullable(),
    workflow: z.object({ approvals_required: z.number().int(), allow_self_approval: z.boolean(), channels: z.array(z.string()) }),
  }),
});

/** The workspace's settings and workflow rules, read-only over the API (secrets are never shown). */
export function settingsApiRoutes(table: TenantRouteTable): void {
  table.get(
    '/settings',
    {
      permission: 'tenant.settings.view',
      answers: 'json',
      doc: { summary: "Read the workspace's settings", tags: ['Settings'], responses: { 200: { description: 'The settings', schema: settingsSchema } } },
    },
    (ctx, _req, res) => {
      const settings = loadTenantSettings(ctx.db, ctx.tenant.name);
      const rules = loadWorkflowRules(ctx.db);
      // The plan's storage limit (kept under its former name, in whole MB).
      const storageBytes = ctx.entitlements.limits.storage_bytes;
      res.json({
        data: {
          display_name: settings.displayName,
          accent_color: settings.accentColor,
          time_zone: currentZoneName(settings.timeZone),
          language: settings.language,
          storage_quota_mb: storageBytes === null ? null : Math.floor(storageBytes / MB),
          workflow: { approvals_required: rules.approvalsRequired, allow_self_approval: rules.allowSelfApproval, channels: rules.channels },
        },
      });
    },
  );
}
