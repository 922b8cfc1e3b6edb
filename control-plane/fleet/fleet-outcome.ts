/** What a fleet run did to one tenant. */
export type Outcome = 'migrated' | 'up_to_date' | 'failed' | 'pending';

export interface TenantOutcome {
  tenantId: string;
  slug: string;
  outcome: Outcome;
  from: string | null;
  to: string | null;
  /** Applied migrations (migrated) or the ones waiting (dry run). */
  migrations: string[];
  error?: string;
}
