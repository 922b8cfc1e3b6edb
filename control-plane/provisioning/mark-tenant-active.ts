import { applyTransition } from '../lifecycle/apply-transition';
import type { ProvisioningStep } from './provisioning-context';

/**
 * The last step: only a tenant whose file is complete and in place is ever marked active, and
 * the rows that belong to it (its audit record, its first owner) land in the same transaction.
 * The first owner's address stays on the row while their invitation is still to be mailed. The
 * control plane's copies of its display name and language are its file's from the start (a clone
 * or an import brings its own), not the console's name and an unknown language until it is opened.
 */
export const markTenantActive: ProvisioningStep = {
  name: 'mark-active',
  run(ctx) {
    ctx.db.write(() => {
      applyTransition(ctx, ctx.tenantId, 'activate', { actorUserId: null, by: 'system' });
      ctx.activate?.({ id: ctx.tenantId, slug: ctx.tenantSlug, name: ctx.tenantName });
      ctx.tenants.update(ctx.tenantId, { schema_version: ctx.schemaVersion ?? null, failure_reason: null });
      if (ctx.settingsCopies) ctx.tenants.keepSettingsCopies(ctx.tenantId, ctx.settingsCopies);
    });
  },
};
