import type { Command } from 'commander';
import { CliContext, echoed, examples, type CliIo } from '../core/cli/cli-io';
import { reportError } from '../core/cli/report-error';
import { addHelpCommands } from '../core/cli/help-command';
import { CheckedCommand } from '../core/cli/checked-command';
import { optionDescription } from '../core/cli/option-help';
import { registerTenantsCommands } from '../control-plane/cli/tenants-commands';
import { registerRenameCommands } from '../control-plane/cli/rename-commands';
import { registerPlatformCommands } from '../control-plane/cli/platform-commands';
import { registerAdminCommands } from '../control-plane/cli/admin-commands';
import { registerSecretsCommands } from '../workspace/cli/secrets-commands';
import { registerUsersCommands } from '../control-plane/cli/users-commands';
import { registerPlansCommands } from '../control-plane/cli/plans-commands';
import { registerDemoCommands } from '../control-plane/cli/demo-commands';
import { seedDemoContent } from '../workspace/demo/demo-content';
import { registerBackupCommands } from '../control-plane/cli/backup-commands';
import { registerTransferCommands } from '../control-plane/cli/transfer-commands';
import { platformOpener } from './cli-platform';
import { registerLifecycleCommands } from '../control-plane/cli/lifecycle-commands';
import { registerDoctorCommands } from '../control-plane/cli/doctor-commands';
import { registerUsageCommands } from '../control-plane/cli/usage-commands';
import { usageRollupDeps } from './usage-wiring';

const { version } = require('../package.json') as { version: string };

/**
 * The `tenantry` program. Output goes through the injected streams and commander never exits
 * the process (exitOverride), so tests run it in-process exactly as the binary does.
 */
export function buildProgram(ctx: CliContext): Command {
  const io = ctx.io;
  const program = new CheckedCommand('tenantry')
    .description(
      'Operate a Tenantry deployment: tenants, fleet migrations, the control plane and super admins.\nConfiguration comes from the environment (DATA_DIR, LOG_LEVEL, BASE_URL, ...).',
    )
    .version(version, '-V, --version', 'print the version')
    // Inherited by every command added below.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // commander's own errors quote what was typed (an unknown command or option, a bad choice):
      // printable, and each line cut short (a 10 KB argument is not echoed whole).
      outputError: (s, write) =>
        write(
          s
            .split('\n')
            .map((line) => echoed(line, 300))
            .join('\n'),
        ),
      getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns : undefined) ?? 100,
      getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns : undefined) ?? 100,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .configureHelp({ optionDescription })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      examples([
        'tenantry tenants create --name "Acme Inc" --slug acme --owner-email owner@acme.test',
        'tenantry tenants list',
        'tenantry tenants migrate --dry-run',
        'tenantry platform migrate',
        'tenantry admin create --email ops@example.com',
      ]),
    );
  program.hook('preAction', (_program, actionCommand) => {
    ctx.command = actionCommand;
  });
  const withPlatform = platformOpener(ctx);
  // Commands on tenants first finish or roll back what an interrupted command left (control-plane/doctor).
  const withTenants = platformOpener(ctx, { repairFirst: true });
  registerTenantsCommands(program, ctx, withTenants);
  registerLifecycleCommands(program, ctx, withTenants);
  registerRenameCommands(program, ctx, withTenants);
  registerBackupCommands(program, ctx, withTenants);
  registerTransferCommands(program, ctx, withTenants);
  registerDoctorCommands(program, ctx, withPlatform);
  registerPlatformCommands(program, ctx);
  registerAdminCommands(program, ctx, withPlatform);
  registerSecretsCommands(program, ctx, withPlatform);
  registerUsersCommands(program, ctx, withPlatform);
  registerPlansCommands(program, ctx, withPlatform);
  registerDemoCommands(program, ctx, withPlatform, seedDemoContent);
  registerUsageCommands(program, ctx, withPlatform, usageRollupDeps);
  addHelpCommands(program);
  return program;
}

/** Runs the CLI on `argv` (process.argv shape: node, script, ...args) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'node' });
    return ctx.exitCode;
  } catch (error) {
    return reportError(ctx, error);
  }
}
