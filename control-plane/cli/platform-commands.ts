import type { Command } from 'commander';
import { openPlatformDatabase, migratePlatform } from '../db/platform-database';
import { examples, type CliContext } from '../../core/cli/cli-io';
import { loadCliConfig } from '../../core/cli/cli-config';

export function registerPlatformCommands(program: Command, ctx: CliContext): void {
  const platform = program
    .command('platform')
    .description('Maintain the control plane (data/platform.sqlite)')
    .addHelpText('after', examples(['tenantry platform migrate']));

  platform
    .command('migrate')
    .description('Apply pending control-plane migrations (all in one transaction) and print what was applied')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples(['tenantry platform migrate', 'DATA_DIR=/srv/tenantry tenantry platform migrate --json']))
    .action(async (opts: { json?: boolean }) => {
      const config = loadCliConfig(ctx);
      // Opened directly rather than through createPlatform, which would migrate it first.
      const db = openPlatformDatabase(config.dataDir);
      try {
        const result = await migratePlatform(db);
        if (opts.json) {
          ctx.json({ applied: result.applied, version: result.version });
        } else if (result.applied.length) {
          ctx.out(`Applied ${result.applied.length} control-plane migration(s):`);
          for (const name of result.applied) ctx.out(`  ${name}`);
          ctx.out(`Control plane is now at ${result.version}.`);
        } else {
          ctx.out(`Control plane is up to date (${result.version ?? 'no migrations'}).`);
        }
      } finally {
        db.close();
      }
    });
}
