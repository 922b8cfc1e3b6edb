import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { tenantJustMadeAt } from '../tenants/repeated-creation';

/** A clone as asked: of which tenant, to which slug and name, with or without its members. */
export interface AskedClone {
  sourceId: string;
  toSlug: string;
  name: string;
  withMembers: boolean;
}

/**
 * The tenant a clone asked again was made by (a double click, a browser sending the form again):
 * the same source, slug, name and members choice, cloned by the same person within
 * DOUBLE_SUBMIT_MS, its own work finished first (it holds the new tenant's lock until then), so
 * the answer is what the first one made, never "the slug is already taken" by the repeat's own
 * effect. Undefined for anything else: another person or source, a slug taken long ago, the CLI.
 */
export async function repeatedClone(platform: ControlPlane, asked: AskedClone, actorUserId: string | null): Promise<TenantRecord | undefined> {
  if (!actorUserId) return undefined;
  const tenant = await tenantJustMadeAt(platform, asked.toSlug, asked.name);
  if (!tenant) return undefined;
  const cloned = platform.db.get<{ after: string | null }>(
    "select after from audit_events where tenant_id = ? and action = 'tenant.clone' and actor_user_id = ? order by id desc limit 1",
    [tenant.id, actorUserId],
  );
  const after = JSON.parse(cloned?.after ?? '{}') as { from?: unknown; members?: unknown };
  return after.from === asked.sourceId && after.members === asked.withMembers ? tenant : undefined;
}
