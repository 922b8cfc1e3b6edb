import type { ProvisioningStep } from './provisioning-context';

/** Writes the tenant's first settings into its own file. */
export const seedTenant: ProvisioningStep = {
  name: 'seed-tenant',
  run(ctx) {
    const db = ctx.file;
    if (!db) throw new Error('no database open');
    const insert = 'insert into settings (key, value, updated_at) values (?, ?, ?) on conflict(key) do update set value = excluded.value';
    const now = Date.now();
    db.write(() => {
      db.run(insert, ['display_name', JSON.stringify(ctx.tenantName), now]);
      db.run(insert, ['created_at', JSON.stringify(now), now]);
    });
  },
};
