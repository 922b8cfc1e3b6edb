import { z } from 'zod';
import { currentZoneName } from '../../core/time/zone-names';
import { parseInput } from '../../core/http/parse-input';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { SettingsCopies } from '../workspace-services';
import { loadTenantSettings, type TenantSettings } from '../settings/tenant-settings';
import { changeSettings } from '../settings/change-settings';
import { settingsPatchSchema } from '../settings/settings-schemas';
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
    revision: z.number().int().describe('The revision of display_name, accent_color, time_zone and language: send it back with a PATCH'),
  }),
});

function settingsJson(ctx: TenantRequestContext, settings: TenantSettings) {
  const rules = loadWorkflowRules(ctx.db);
  // The plan's storage limit (kept under its former name, in whole MB).
  const storageBytes = ctx.entitlements.limits.storage_bytes;
  return {
    data: {
      display_name: settings.displayName,
      accent_color: settings.accentColor,
      time_zone: currentZoneName(settings.timeZone),
      language: settings.language,
      storage_quota_mb: storageBytes === null ? null : Math.floor(storageBytes / MB),
      workflow: { approvals_required: rules.approvalsRequired, allow_self_approval: rules.allowSelfApproval, channels: rules.channels },
      revision: settings.revision,
    },
  };
}

/** The workspace's settings and workflow rules, read and (the settings page's fields) changed over the API; secrets have their own routes. */
export function settingsApiRoutes(table: TenantRouteTable, copies: SettingsCopies): void {
  table.get(
    '/settings',
    {
      permission: 'tenant.settings.view',
      answers: 'json',
      doc: { summary: "Read the workspace's settings", tags: ['Settings'], responses: { 200: { description: 'The settings', schema: settingsSchema } } },
    },
    (ctx, _req, res) => {
      res.json(settingsJson(ctx, loadTenantSettings(ctx.db, ctx.tenant.name)));
    },
  );

  table.patch(
    '/settings',
    {
      permission: 'tenant.settings.edit',
      answers: 'json',
      doc: {
        summary: "Change the workspace's settings",
        description:
          'Only the fields sent change, by the settings page’s rules (400 naming each field refused, nothing changed); the change shows on the members’ next request. `display_name` and `accent_color` need a plan with branding (403 feature_disabled otherwise). Send the `revision` you read: if someone changed the settings since, the answer is 409 revision_conflict and nothing is changed, unless the change would change nothing (sent again once made): that is answered as done.',
        tags: ['Settings'],
        body: settingsPatchSchema,
        responses: { 200: { description: 'The settings after the change', schema: settingsSchema } },
      },
    },
    (ctx, req, res) => {
      const { revision, ...change } = parseInput(settingsPatchSchema, req.body);
      const settings = changeSettings(ctx, copies, change, { revision });
      res.json(settingsJson(ctx, settings));
    },
  );
}
