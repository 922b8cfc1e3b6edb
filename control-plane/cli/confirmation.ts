import { CliError } from '../../core/cli/cli-io';

/** Destructive steps need --yes, the CLI's way of typing the slug. */
export function confirmation(slug: string, yes: boolean | undefined, what: string): { confirm: string } {
  if (!yes) throw new CliError(`${what} Run the command again with --yes to confirm.`);
  return { confirm: slug };
}
