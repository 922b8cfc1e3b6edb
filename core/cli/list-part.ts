import { Option, type Command } from 'commander';
import { textOption } from './cli-io';

/** How many rows a CLI list's table shows at a time, and a --page holds. */
export const LIST_PAGE_SIZE = 500;

/**
 * Which rows a page of a list holds, when it is not every one: `users 1-500 of 1203; the next:
 * --page 2, every user: --all`, `users 1001-1203 of 1203`. Undefined when the page holds every
 * matching row. `noun` is the plural (users, tenants), `one` the singular.
 */
export function partOf(noun: { many: string; one: string }, page: number, shown: number, total: number): string | undefined {
  if (page === 1 && shown === total) return undefined;
  const first = (page - 1) * LIST_PAGE_SIZE + 1;
  if (!shown) return `no ${noun.many} on page ${page} of ${total}`;
  const more = first - 1 + shown < total ? `; the next: --page ${page + 1}, every ${noun.one}: --all` : '';
  return `${noun.many} ${first}-${first + shown - 1} of ${total}${more}`;
}

/** A list command's paging options (--page, --all, --json), `orderedBy` naming what the pages follow (by slug, by email). */
export function withListPaging(command: Command, noun: { many: string; one: string }, orderedBy: string): Command {
  return command
    .addOption(textOption('--page <n>', `only the n-th ${LIST_PAGE_SIZE} ${noun.many}, by ${orderedBy} (table and JSON)`))
    .addOption(new Option('--all', `every ${noun.one} in the table too, however many`).conflicts('page'))
    .option('--json', `print a JSON array of every matching ${noun.one} (of one page with --page)`);
}

/** The first line of a list command's help after its options: how its table pages. */
export function listPagingHelp(noun: { many: string }): string {
  return `\nThe table shows the first ${LIST_PAGE_SIZE} ${noun.many} and says how many there are; --page 2 shows the next ones, --all every one.\n`;
}
