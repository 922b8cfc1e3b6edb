import type { ProvisioningStep } from './provisioning-context';

/**
 * The last step: only a tenant whose file is complete and in place is ever marked active, and
 * the rows that belong to it (its audit record, its first owner) land in the same transaction.
 */
export const markTenantActive: ProvisioningStep = {
  name: 'mark-active',
  run(ctx) {
    ctx.db.write(() => {
      ctx.tenants.update(ctx.tenantId, { status: 'active', schema_version: ctx.schemaVersion ?? null, failure_reason: null });
      ctx.activate?.({ id: ctx.tenantId, slug: ctx.tenantSlug, name: ctx.tenantName });
    });
  },
};
