import type { ProvisioningStep } from './provisioning-context';

/** Writes the tenant's first settings into its own file. */
export const seedTenant: ProvisioningStep = {
  name: 'seed-tenant',
  run(ctx) {
    if (!ctx.db) throw new Error('no database open');
    const db = ctx.db;
    const insert = db.prepare('insert into settings (key, value, updated_at) values (?, ?, ?) on conflict(key) do update set value = excluded.value');
    const now = Date.now();
    db.transaction(() => {
      insert.run('display_name', JSON.stringify(ctx.tenantName), now);
      insert.run('created_at', JSON.stringify(now), now);
    }).immediate();
  },
};
