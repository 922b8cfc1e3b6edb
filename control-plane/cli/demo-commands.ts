import type { Command } from 'commander';
import type { ControlPlane } from '../control-plane';
import { CliError, EXIT_USAGE, examples, formatTable, printable, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { loadCliConfig } from '../../core/cli/cli-config';
import { isLoopbackHost } from '../../core/config/loopback-host';
import { createDemo } from '../demo/create-demo';
import type { DemoContentSeeder } from '../demo/demo-content-seeder';
import { DEFAULT_DEMO_SLUG } from '../demo/demo-people';

/** `tenantry demo`: developer mode's sample tenant, users and content (docs/decisions/018-developer-mode.md). */
export function registerDemoCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>, seed: DemoContentSeeder): void {
  program
    .command('demo')
    .description('Create a demo tenant with one user per role and sample content, for development on your own machine')
    .option('--reset', 'remove the demo tenant and its users, then create them again as new')
    .option('--slug <slug>', 'the demo tenant’s slug', DEFAULT_DEMO_SLUG)
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nThe demo users get random passwords, printed once. With DEV_LOGIN=1 the sign-in page also offers\n' +
        'one-click sign-in as them. Refused unless HOST is a loopback address (127.0.0.1, ::1, localhost).\n' +
        'Exit codes: 0 created, 1 a demo already exists (use --reset), 2 usage or a refused HOST.\n' +
        examples(['tenantry demo', 'tenantry demo --reset', 'DEV_LOGIN=1 npm start   # then open http://localhost:3000/login']),
    )
    .action(async (opts: { reset?: boolean; slug: string; json?: boolean }) => {
      const config = loadCliConfig(ctx);
      if (!isLoopbackHost(config.host))
        throw new CliError(
          `Developer mode is for a developer's own machine: HOST is ${printable(config.host)}, and the demo needs a loopback address (127.0.0.1, ::1 or localhost). Nothing was created.`,
          EXIT_USAGE,
        );
      await withPlatform(async (platform) => {
        const demo = await createDemo(platform, seed, { slug: opts.slug, reset: Boolean(opts.reset) });
        const users = demo.users.map((u) => ({ role: u.roleKey, email: u.email, name: u.name, password: u.password }));
        if (opts.json) {
          ctx.json({ tenant: { id: demo.tenant.id, slug: demo.tenant.slug, url: platform.urls.tenantUrl(demo.tenant.slug) }, users, content: demo.content });
          return;
        }
        ctx.out(`${demo.reset ? 'Reset' : 'Created'} the demo tenant ${demo.tenant.slug}: ${demo.content.items} items, ${demo.content.comments} comments.`);
        ctx.out(`Open ${platform.config.baseUrl}/login and sign in as one of these (the passwords are shown this once):`);
        ctx.out('');
        ctx.out(
          formatTable(
            [
              { header: 'ROLE', value: (r) => r.role },
              { header: 'EMAIL', value: (r) => r.email },
              { header: 'PASSWORD', value: (r) => r.password },
            ],
            users,
          ),
        );
        ctx.out('');
        ctx.out(
          config.devLogin
            ? 'DEV_LOGIN is on: the sign-in page also offers one-click sign-in as these users.'
            : 'Start the server with DEV_LOGIN=1 for one-click sign-in as these users.',
        );
      });
    });
}
