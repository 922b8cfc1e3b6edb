/**
 * What a fleet run did to one tenant. `rehearsed`: a rehearsal migrated a snapshot of it;
 * `skipped`: a canary failed and the run stopped before this tenant.
 */
export type Outcome = 'migrated' | 'up_to_date' | 'failed' | 'pending' | 'rehearsed' | 'skipped';

export interface TenantOutcome {
  tenantId: string;
  slug: string;
  outcome: Outcome;
  from: string | null;
  to: string | null;
  /** Applied migrations (migrated) or the ones waiting (dry run). */
  migrations: string[];
  error?: string;
  /** How long the migration took (rehearsals). */
  ms?: number;
}
