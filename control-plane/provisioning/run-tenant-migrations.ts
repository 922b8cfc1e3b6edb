import { hasCurrentStamp, migrateTenantConnection, recordedTenantVersion } from '../../tenant-runtime/tenant-migrator';
import type { ProvisioningStep } from './provisioning-context';

/** Applies what the file still lacks: everything for an empty file, nothing after a template copy. */
export const runTenantMigrations: ProvisioningStep = {
  name: 'run-tenant-migrations',
  async run(ctx) {
    if (!ctx.file) throw new Error('no database open');
    const db = ctx.file.connection();
    // A template copy is stamped with the code's migrations: checking is enough (and much cheaper than umzug).
    if (!ctx.usedTemplate || !hasCurrentStamp(db, ctx.source)) await migrateTenantConnection(db, ctx.source);
    ctx.schemaVersion = recordedTenantVersion(db);
    if (ctx.schemaVersion !== ctx.source.latest) throw new Error(`tenant file is at ${ctx.schemaVersion}, expected ${ctx.source.latest}`);
  },
};
