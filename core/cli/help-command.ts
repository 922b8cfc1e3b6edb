import type { Command } from 'commander';
import { echoed } from './cli-io';

/**
 * `help [command...]` on the program and on each group, in place of commander's own: that one
 * answers a name it does not know with the whole help and exit 2, never saying which name was
 * wrong. A group and its command may follow (`tenantry help tenants create`).
 */
export function addHelpCommands(program: Command): void {
  for (const group of program.commands) if (group.commands.length) addHelpCommands(group);
  program
    .command('help')
    .description('display help for command')
    .argument('[command...]', 'the command, or a group and one of its commands')
    .helpOption(false)
    .action((names: string[]) => {
      let target: Command = program;
      for (const name of names) {
        const next = target.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!next) target.error(`error: unknown command '${echoed(name)}'`, { code: 'commander.unknownCommand' });
        target = next;
      }
      target.help();
    });
}
