import { Option, type Command } from 'commander';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { CliError, EXIT_FAILURE, examples, formatTable, printable, textOption, type CliContext, type WithPlatform } from '../../core/cli/cli-io';
import { namingOptions } from '../../core/cli/option-names';
import { formatUtcTime } from '../../core/time/utc-time';
import { LIST_PAGE_SIZE, listPagingHelp, partOf, withListPaging } from '../../core/cli/list-part';
import { SessionRepository } from '../auth/session-repository';
import { CLI_OPERATOR } from '../audit/operator';
import { emailSchema } from '../users/password-rules';
import { changeUserStatus, LeavesWorkspacesWithoutOwnerError, signOutEverywhere } from '../users/change-user-status';
import { everyUser, USER_STATUSES, userFilterSchema, userPage, type UserListRow, type UserStatus } from '../users/user-directory';
import type { UserRecord } from '../users/user-record';
import { resetTwoStep } from '../two-step/reset-two-step';

function findUser(platform: ControlPlane, email: string): UserRecord {
  const user = platform.users.findByEmail(parseInput(z.object({ email: emailSchema }), { email }).email);
  if (!user) throw new NotFoundError(`No user with email "${printable(email)}".`);
  return user;
}

const USERS = { many: 'users', one: 'user' };

/** A disable refused for leaving workspaces without an active owner, said one workspace a line (exit 1). */
function refusedAsLines<T>(change: () => T): T {
  try {
    return change();
  } catch (error) {
    if (!(error instanceof LeavesWorkspacesWithoutOwnerError)) throw error;
    const lines = error.workspaces.map((w) => `  ${w.slug} (${w.name})`);
    throw new CliError(
      [
        `${error.email} is the only active owner of these workspaces; disabling the account leaves them without an owner who can act:`,
        ...lines,
        'Nothing was changed. Make someone else owner there first, or add --force to disable it anyway.',
      ].join('\n'),
      EXIT_FAILURE,
    );
  }
}

/** `tenantry users ...`: the console's side of the users page (list, disable, enable, sign out everywhere). */
export function registerUsersCommands(program: Command, ctx: CliContext, withPlatform: WithPlatform<ControlPlane>): void {
  const users = program
    .command('users')
    .description('List users, disable or enable them, end their sessions, turn their two-step sign-in off')
    .addHelpText('after', examples(['tenantry users list --search acme.test', 'tenantry users disable someone@example.com']));

  const usersList = users
    .command('list')
    .description(`List users with their status, workspaces and last activity (the table ${LIST_PAGE_SIZE} at a time; JSON every user)`)
    .addOption(textOption('--search <text>', 'only users whose email or name contains this'))
    .addOption(new Option('--status <status>', 'only users with this status').choices(USER_STATUSES));
  withListPaging(usersList, USERS, 'email')
    .addHelpText(
      'after',
      listPagingHelp(USERS) +
        'The JSON array holds every matching user unless --page is given; a page that is not every user says so on stderr.\n' +
        examples([
          'tenantry users list',
          'tenantry users list --search @acme.test --status active',
          'tenantry users list --page 2',
          'tenantry users list --json',
          'tenantry users list --json --page 3',
        ]),
    )
    .action(async (opts: { search?: string; status?: UserStatus; page?: string; all?: boolean; json?: boolean }) => {
      const filter = namingOptions({ q: '--search', page: '--page' }, () =>
        parseInput(userFilterSchema, { q: opts.search, status: opts.status, page: opts.page ?? '1' }),
      );
      const everyOne = opts.all || (opts.json && opts.page === undefined);
      await withPlatform(async (platform) => {
        let listed: UserListRow[];
        let total: number;
        if (everyOne) {
          listed = everyUser(platform.db, filter);
          total = listed.length;
        } else {
          ({ users: listed, total } = userPage(platform.db, filter, LIST_PAGE_SIZE));
        }
        const rows = listed.map((u) => ({
          id: u.id,
          email: u.email,
          name: u.name,
          status: u.status,
          super_admin: Boolean(u.is_super_admin),
          workspaces: Number(u.memberships),
          last_seen_at: u.last_seen_at ? new Date(u.last_seen_at).toISOString() : null,
        }));
        const part = everyOne ? undefined : partOf(USERS, filter.page, rows.length, total);
        if (opts.json) {
          ctx.json(rows);
          if (part) ctx.err(`(the JSON holds ${part})`);
          return;
        }
        if (!rows.length) return ctx.out(total ? `No users on page ${filter.page} (${total} users, ${LIST_PAGE_SIZE} a page).` : 'No users match.');
        ctx.out(
          formatTable(
            [
              { header: 'EMAIL', value: (r) => r.email },
              { header: 'NAME', value: (r) => r.name, max: 40 },
              { header: 'STATUS', value: (r) => r.status },
              { header: 'SUPER ADMIN', value: (r) => (r.super_admin ? 'yes' : '') },
              { header: 'WORKSPACES', value: (r) => r.workspaces, align: 'right' },
              { header: 'LAST SEEN', value: (r) => formatUtcTime(r.last_seen_at ? Date.parse(r.last_seen_at) : null) },
            ],
            rows,
          ),
        );
        if (part) ctx.out(`(${part}; or narrow the list with --search or --status)`);
      });
    });

  users
    .command('disable')
    .description('Disable an account: it cannot sign in, and its sessions end at once')
    .argument('<email>', 'the account’s email address')
    .option('--force', 'disable it even when it is the only active owner of workspaces, which are then left without one')
    .addHelpText(
      'after',
      'Refused, naming each workspace, while the account is the only active owner of a workspace; --force disables it anyway.\n' +
        examples(['tenantry users disable someone@example.com', 'tenantry users disable abusive-owner@example.com --force']),
    )
    .action(async (email: string, opts: { force?: boolean }) => {
      await withPlatform(async (platform) => {
        const user = findUser(platform, email);
        const result = refusedAsLines(() =>
          changeUserStatus(platform, new SessionRepository(platform.db), user.id, 'disabled', CLI_OPERATOR, { force: opts.force }),
        );
        if (!result.changed) return ctx.out(`${printable(user.email)} is already disabled.`);
        ctx.out(`${printable(user.email)} is now disabled. ${result.sessionsEnded} session(s) ended.`);
        const left = result.leftWithoutOwner;
        if (left.length) ctx.err(`warning: ${left.map((w) => w.slug).join(', ')} now ${left.length === 1 ? 'has' : 'have'} no active owner.`);
      });
    });

  users
    .command('enable')
    .description('Enable a disabled account again')
    .argument('<email>', 'the account’s email address')
    .addHelpText('after', examples(['tenantry users enable someone@example.com']))
    .action(async (email: string) => {
      await withPlatform(async (platform) => {
        const user = findUser(platform, email);
        const result = changeUserStatus(platform, new SessionRepository(platform.db), user.id, 'active', CLI_OPERATOR);
        ctx.out(`${printable(user.email)} ${result.changed ? 'is now' : 'is already'} active.`);
      });
    });

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

  users
    .command('reset-two-step')
    .description("Turn an account's two-step sign-in off (a lost phone and lost recovery codes): it signs in with its password only, and is told by mail")
    .argument('<email>', 'the account’s email address')
    .addHelpText('after', examples(['tenantry users reset-two-step someone@example.com']))
    .action(async (email: string) => {
      await withPlatform(async (platform) => {
        const user = findUser(platform, email);
        const { mailed } = await resetTwoStep(platform, user.id, { two_step_confirm: user.email }, CLI_OPERATOR);
        ctx.out(`${printable(user.email)}: two-step sign-in is now off.`);
        if (!mailed) ctx.err('warning: the mail telling the person could not be sent: tell them yourself.');
      });
    });
}
