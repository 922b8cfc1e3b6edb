import type { FleetResult, TenantOutcome } from '../fleet/migrate-fleet';
import { printable, type CliContext } from '../../core/cli/cli-io';

/** What `tenantry tenants migrate --json` prints: the run's counts and each tenant's outcome. */
export function fleetJson(result: FleetResult, dryRun: boolean) {
  return {
    dry_run: dryRun,
    run_id: result.runId,
    latest: result.latest,
    migrated: result.migrated,
    up_to_date: result.upToDate,
    pending: result.outcomes.filter((o) => o.outcome === 'pending').length,
    failed: result.failed.length,
    skipped: result.outcomes.filter((o) => o.outcome === 'skipped').length,
    stopped_by_canary: result.stopped,
    seconds: Number(result.seconds.toFixed(3)),
    tenants: result.outcomes.map(tenantOutcomeJson),
  };
}

/** One tenant's line of a fleet run's or a rehearsal's JSON. */
export function tenantOutcomeJson(o: TenantOutcome) {
  return { slug: o.slug, id: o.tenantId, outcome: o.outcome, from: o.from, to: o.to, migrations: o.migrations, error: o.error ?? null };
}

/** First line of an error, without control characters: one report line per tenant. */
export function oneLine(message: string | undefined): string {
  return printable((message ?? 'unknown error').split('\n')[0].trim());
}

/** What `tenantry tenants migrate` prints: a line for each tenant it changed (or would), the counts, and what to do about a failure. */
export function printFleetReport(ctx: CliContext, result: FleetResult, dryRun: boolean): void {
  const shown = result.outcomes.filter((o) => o.outcome !== 'up_to_date' && o.outcome !== 'skipped').sort((a, b) => a.slug.localeCompare(b.slug));
  const slugWidth = Math.max(0, ...shown.map((o) => o.slug.length));
  const describe = (o: TenantOutcome): string => {
    switch (o.outcome) {
      case 'migrated':
        return `${o.from ?? '(none)'} -> ${o.to ?? '(none)'} (${o.migrations.join(', ')})`;
      case 'pending':
        return o.migrations.join(', ');
      case 'failed':
        return `still at ${o.from ?? '(none)'}: ${oneLine(o.error)}`;
      default:
        return '';
    }
  };
  for (const o of shown) ctx.out(`${o.outcome.padEnd(8)}  ${o.slug.padEnd(slugWidth)}  ${describe(o)}`);
  const seconds = result.seconds.toFixed(2);
  if (dryRun) {
    const pending = shown.filter((o) => o.outcome === 'pending').length;
    ctx.out(
      `Dry run: ${pending} pending, ${result.upToDate} up to date, ${result.failed.length} failed in ${seconds}s (latest ${result.latest ?? '-'}); nothing was changed.`,
    );
  } else {
    ctx.out(`${result.migrated} migrated, ${result.upToDate} up to date, ${result.failed.length} failed in ${seconds}s`);
  }
  if (result.stopped) {
    const skipped = result.outcomes.filter((o) => o.outcome === 'skipped').length;
    ctx.err(`error: a canary failed: the run stopped and ${skipped} tenant(s) were not touched. Fix the migration, then run the command again.`);
  } else if (result.failed.length) {
    const which = result.failed.map((o) => o.slug).join(', ');
    ctx.err(
      `error: ${result.failed.length} tenant(s) failed${result.runId === null ? '' : ` (fleet run ${result.runId})`}: ${which}. They keep their previous version; fix them and run the command again to resume.`,
    );
  }
}
