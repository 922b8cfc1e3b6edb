import type { ProvisioningStep } from './provisioning-context';

/** The last step: only a tenant whose file is complete and in place is ever marked active. */
export const markTenantActive: ProvisioningStep = {
  name: 'mark-active',
  async run(ctx) {
    await ctx.tenants.update(ctx.tenantId, { status: 'active', schema_version: ctx.schemaVersion ?? null, failure_reason: null });
  },
};
