import type { ControlPlane } from '../control-plane';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { parseInput } from '../../core/http/parse-input';
import { ValidationError } from '../../core/errors/app-errors';
import { createUser } from '../users/create-user';
import { emailSchema, nameSchema } from '../users/password-rules';
import { CliError, EXIT_USAGE, examples, printable, textOption, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { promptHidden } from '../../core/cli/hidden-prompt';

export const ADMIN_PASSWORD_ENV = 'TENANTRY_ADMIN_PASSWORD';

const adminInputSchema = z.object({ email: emailSchema, name: nameSchema });

/**
 * The new admin's email and name. A name not given is made from the email (the part before @),
 * so a bad email is reported alone, not again as a bad name the user never typed.
 */
function adminInput(email: string, name: string | undefined): z.infer<typeof adminInputSchema> {
  if (name === undefined) parseInput(z.object({ email: emailSchema }), { email });
  return parseInput(adminInputSchema, { email, name: name ?? email.split('@')[0] });
}

/** Where the password will come from, decided before anything is opened or written. */
function passwordSource(ctx: CliContext): 'env' | 'prompt' {
  if (ctx.io.env[ADMIN_PASSWORD_ENV]) return 'env';
  if (ctx.stdinIsTTY) return 'prompt';
  throw new CliError(`No password: set ${ADMIN_PASSWORD_ENV}, or run the command in a terminal to type it at a hidden prompt.`, EXIT_USAGE);
}

async function askPassword(ctx: CliContext): Promise<string> {
  const ask =
    ctx.io.prompt ??
    ((question: string) => {
      if (!ctx.io.stdin) throw new CliError('No terminal to read the password from.', EXIT_USAGE);
      return promptHidden(question, ctx.io.stdin, ctx.io.stderr);
    });
  const first = await ask('Password: ');
  const again = await ask('Repeat password: ');
  if (first !== again) throw new CliError('The two passwords differ; nothing was created.', EXIT_USAGE);
  return first;
}

export function registerAdminCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>): void {
  const admin = program
    .command('admin')
    .description('Manage super admins')
    .addHelpText('after', examples([`${ADMIN_PASSWORD_ENV}='…' tenantry admin create --email ops@example.com`]));

  admin
    .command('create')
    .description('Create a super admin account')
    .addOption(textOption('--email <email>', 'sign-in email of the new super admin').makeOptionMandatory())
    .addOption(textOption('--name <name>', 'display name (default: the part of the email before @)'))
    // Caught only to explain why: a password in argv lands in shell history and `ps` output.
    .addOption(new Option('--password <password>').hideHelp())
    .option('--json', 'print the created account as JSON')
    .addHelpText(
      'after',
      `\nThe password is read from ${ADMIN_PASSWORD_ENV} or, in a terminal, typed at a hidden prompt (twice).\n` +
        'It is never accepted as an argument.\n' +
        examples([
          `${ADMIN_PASSWORD_ENV}='a long passphrase' tenantry admin create --email ops@example.com --name "Ops team"`,
          'tenantry admin create --email ops@example.com   # prompts for the password',
        ]),
    )
    .action(async (opts: { email: string; name?: string; password?: string; json?: boolean }) => {
      if (opts.password !== undefined) {
        throw new CliError(
          `Passwords are not accepted as arguments (they end up in shell history). Set ${ADMIN_PASSWORD_ENV} or answer the prompt.`,
          EXIT_USAGE,
        );
      }
      const input = adminInput(opts.email, opts.name);
      const source = passwordSource(ctx);
      await withPlatform(async (platform) => {
        if (platform.users.findByEmail(input.email)) throw ValidationError.single('email', 'is already registered');
        const password = source === 'env' ? (ctx.io.env[ADMIN_PASSWORD_ENV] as string) : await askPassword(ctx);
        const user = await createUser(platform, { ...input, password }, { isSuperAdmin: true });
        platform.audit.record({
          action: 'user.create_super_admin',
          actorUserId: null,
          targetType: 'user',
          targetId: user.id,
          after: { email: user.email, via: 'cli' },
        });
        if (opts.json) ctx.json({ id: user.id, email: user.email, name: user.name, super_admin: true });
        else ctx.out(`Created super admin ${printable(user.email)} (${printable(user.name)}), id ${user.id}.`);
      });
    });
}
