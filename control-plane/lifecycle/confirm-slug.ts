import { z } from 'zod';
import { ValidationError } from '../../core/errors/app-errors';
import { msg } from '../../core/i18n/message';
import type { TenantRecord } from '../tenants/tenant-record';

/**
 * A destructive step is confirmed by typing the tenant's slug (the page's `confirm` field; the
 * CLI's --yes fills it in; an owner's deletion request asks it too, in the workspace's language).
 * Anything else is a 400 on `confirm` and nothing happens.
 */
export function assertSlugConfirmed(tenant: Pick<TenantRecord, 'slug'>, input: unknown): void {
  const typed = (input as { confirm?: unknown } | null | undefined)?.confirm;
  if (typeof typed !== 'string' || typed.trim() !== tenant.slug) {
    throw ValidationError.single('confirm', msg("must be the tenant's slug ({{slug}}) to confirm", { slug: tenant.slug }));
  }
}

/** The `confirm` field as the API documents it (the check is assertSlugConfirmed). */
export const confirmSlugSchema = z.object({ confirm: z.string().describe("The tenant's slug, typed to confirm") });
