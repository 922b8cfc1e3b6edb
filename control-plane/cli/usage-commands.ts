import type { Command } from 'commander';
import { EXIT_FAILURE, examples, printable, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import type { ControlPlane } from '../control-plane';
import { rollUpUsage, type RollupDeps } from '../usage/roll-up-usage';
import { createFileCheckProgress } from './file-check-progress';

/** `tenantry usage rollup`: the usage roll-up on demand, as the server runs it every minute. */
export function registerUsageCommands<P extends ControlPlane>(
  program: Command,
  ctx: CliContext,
  withPlatform: WithPlatform<P>,
  depsOf: (platform: P) => RollupDeps,
): void {
  const usage = program
    .command('usage')
    .description('Usage of the limits: the roll-up into the control plane')
    .addHelpText('after', examples(['tenantry usage rollup', 'tenantry usage rollup --json']));
  usage
    .command('rollup')
    .description("Copy every changed tenant's usage into the control plane (only tenants whose files, counts or limits changed are read) and send due alerts")
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nSafe while the server runs and when interrupted: each tenant is written at once, and the next roll-up finishes the rest.\n' +
        'Exit codes: 0 done, 1 some tenant files could not be read (listed).\n' +
        examples(['tenantry usage rollup', 'tenantry usage rollup --json']),
    )
    .action(async (opts: { json?: boolean }) => {
      await withPlatform(async (platform) => {
        const started = performance.now();
        const progress = createFileCheckProgress(ctx, 'roll-up');
        let summary;
        try {
          summary = await rollUpUsage(depsOf(platform), { onProgress: progress.onFileChecked });
        } finally {
          progress.stop();
        }
        const seconds = (performance.now() - started) / 1000;
        const alerts = summary.alerts.map((a) => ({ tenantId: a.tenantId, limit: a.key, threshold: a.threshold, period: a.period }));
        if (opts.json) {
          ctx.json({ ...summary, alerts, seconds: Number(seconds.toFixed(3)) });
        } else {
          ctx.out(
            `Rolled up ${summary.tenants} tenants in ${seconds.toFixed(2)} s: ${summary.opened} read, ${summary.recomputed} recomputed, ${summary.unchanged} unchanged; ${summary.alerts.length} alerts fired${summary.alertMailsResent ? `, ${summary.alertMailsResent} earlier alert mails sent` : ''}.`,
          );
          for (const f of summary.failed) ctx.out(`could not read ${printable(f.slug)}: ${printable(f.reason)}`);
        }
        if (summary.failed.length) ctx.exitCode = EXIT_FAILURE;
      });
    });
}
