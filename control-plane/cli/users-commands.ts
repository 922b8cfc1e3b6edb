import { Option, type Command } from 'commander';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { examples, formatTable, printable, textOption, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { namingOptions } from '../../core/cli/option-names';
import { SessionRepository } from '../auth/session-repository';
import { CLI_OPERATOR } from '../audit/operator';
import { emailSchema } from '../users/password-rules';
import { changeUserStatus, signOutEverywhere } from '../users/change-user-status';
import { USER_STATUSES, userFilterSchema, userPage, type UserStatus } from '../users/user-directory';
import type { UserRecord } from '../users/user-record';

function findUser(platform: ControlPlane, email: string): UserRecord {
  const user = platform.users.findByEmail(parseInput(z.object({ email: emailSchema }), { email }).email);
  if (!user) throw new NotFoundError(`No user with email "${printable(email)}".`);
  return user;
}

/** `tenantry users ...`: the console's side of the users page (list, disable, enable, sign out everywhere). */
export function registerUsersCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>): void {
  const users = program
    .command('users')
    .description('List users, disable or enable them, and end their sessions')
    .addHelpText('after', examples(['tenantry users list --search acme.test', 'tenantry users disable someone@example.com']));

  users
    .command('list')
    .description('List users with their status, workspaces and last activity (500 at most; narrow with --search)')
    .addOption(textOption('--search <text>', 'only users whose email or name contains this'))
    .addOption(new Option('--status <status>', 'only users with this status').choices(USER_STATUSES))
    .option('--json', 'print a JSON array')
    .addHelpText('after', examples(['tenantry users list', 'tenantry users list --search @acme.test --status active', 'tenantry users list --json']))
    .action(async (opts: { search?: string; status?: UserStatus; json?: boolean }) => {
      const filter = namingOptions({ q: '--search' }, () => parseInput(userFilterSchema, { q: opts.search, status: opts.status, page: '1' }));
      await withPlatform(async (platform) => {
        const page = userPage(platform.db, filter, 500);
        const rows = page.users.map((u) => ({
          id: u.id,
          email: u.email,
          name: u.name,
          status: u.status,
          super_admin: Boolean(u.is_super_admin),
          workspaces: Number(u.memberships),
          last_seen_at: u.last_seen_at ? new Date(u.last_seen_at).toISOString() : null,
        }));
        if (opts.json) return ctx.json(rows);
        if (!rows.length) return ctx.out('No users match.');
        ctx.out(
          formatTable(
            [
              { header: 'EMAIL', value: (r) => r.email },
              { header: 'NAME', value: (r) => r.name, max: 40 },
              { header: 'STATUS', value: (r) => r.status },
              { header: 'SUPER ADMIN', value: (r) => (r.super_admin ? 'yes' : '') },
              { header: 'WORKSPACES', value: (r) => r.workspaces, align: 'right' },
              { header: 'LAST SEEN', value: (r) => r.last_seen_at?.slice(0, 16).replace('T', ' ') },
            ],
            rows,
          ),
        );
        if (page.total > rows.length) ctx.out(`(${rows.length} of ${page.total}; narrow the list with --search or --status)`);
      });
    });

  const statusCommand = (name: 'disable' | 'enable', to: 'disabled' | 'active', description: string) =>
    users
      .command(name)
      .description(description)
      .argument('<email>', 'the account’s email address')
      .addHelpText('after', examples([`tenantry users ${name} someone@example.com`]))
      .action(async (email: string) => {
        await withPlatform(async (platform) => {
          const user = findUser(platform, email);
          const result = changeUserStatus(platform, new SessionRepository(platform.db), user.id, to, CLI_OPERATOR);
          if (!result.changed) return ctx.out(`${printable(user.email)} is already ${to}.`);
          ctx.out(`${printable(user.email)} is now ${to}.${to === 'disabled' ? ` ${result.sessionsEnded} session(s) ended.` : ''}`);
        });
      });
  statusCommand('disable', 'disabled', 'Disable an account: it cannot sign in, and its sessions end at once');
  statusCommand('enable', 'active', 'Enable a disabled account again');

  users
    .command('sign-out')
    .description('End every session of an account (it stays usable: the person signs in again)')
    .argument('<email>', 'the account’s email address')
    .addHelpText('after', examples(['tenantry users sign-out someone@example.com']))
    .action(async (email: string) => {
      await withPlatform(async (platform) => {
        const user = findUser(platform, email);
        const { sessionsEnded } = signOutEverywhere(platform, new SessionRepository(platform.db), user.id, CLI_OPERATOR);
        ctx.out(`${printable(user.email)}: ${sessionsEnded} session(s) ended.`);
      });
    });
}
