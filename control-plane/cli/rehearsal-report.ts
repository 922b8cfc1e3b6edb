import type { CliContext } from '../../core/cli/cli-io';
import type { RehearsalResult } from '../fleet/rehearse-fleet';
import { oneLine, tenantOutcomeJson } from './fleet-report';

/** `tenants migrate --rehearse --json`. */
export function rehearsalJson(result: RehearsalResult) {
  return {
    rehearsal: true,
    latest: result.latest,
    rehearsed: result.rehearsed,
    failed: result.failed.length,
    seconds: Number(result.seconds.toFixed(3)),
    tenants: result.outcomes.map((o) => ({ ...tenantOutcomeJson(o), ms: o.ms === undefined ? null : Number(o.ms.toFixed(1)) })),
  };
}

/** `tenants migrate --rehearse`: one line per tenant, then what would happen. */
export function printRehearsal(ctx: CliContext, result: RehearsalResult): void {
  const shown = [...result.outcomes].sort((a, b) => a.slug.localeCompare(b.slug));
  const width = Math.max(0, ...shown.map((o) => o.slug.length));
  for (const o of shown) {
    const detail =
      o.outcome === 'failed'
        ? `would fail at ${o.from ?? '(none)'}: ${oneLine(o.error)}`
        : o.outcome === 'rehearsed'
          ? `${o.from ?? '(none)'} -> ${o.to ?? '(none)'} in ${(o.ms ?? 0).toFixed(1)} ms (${o.migrations.join(', ')})`
          : 'nothing to apply';
    ctx.out(`${o.outcome.padEnd(10)}  ${o.slug.padEnd(width)}  ${detail}`);
  }
  const times = result.outcomes.filter((o) => o.ms !== undefined).map((o) => o.ms as number);
  const slowest = times.length ? `; slowest ${Math.max(...times).toFixed(1)} ms` : '';
  ctx.out(
    `Rehearsal: ${result.rehearsed} would migrate, ${result.failed.length} would fail (${result.outcomes.length} tenants, ${result.seconds.toFixed(2)}s${slowest}); nothing live was changed.`,
  );
  if (result.failed.length)
    ctx.err(`error: the migration would fail on ${result.failed.length} tenant(s): ${result.failed.map((o) => o.slug).join(', ')}. Fix it before migrating.`);
}
