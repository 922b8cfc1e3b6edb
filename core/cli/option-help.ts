import { Help, type Option } from 'commander';
import { isRepeatable } from './cli-io';

/**
 * An option's line in the help, ending "(required)" when the command does not run without it and
 * "(repeatable)" when it may be given more than once: commander's own line says neither, so
 * `tenants create --help` read as if --name and --slug could be left out, and `plans update --help`
 * as if one --limit were all a command took. Set with configureHelp, so `this` is the command's Help.
 */
export function optionDescription(this: Help, option: Option): string {
  const described = Help.prototype.optionDescription.call(this, option);
  const marks = [option.mandatory ? '(required)' : '', isRepeatable(option) ? '(repeatable)' : ''].filter(Boolean);
  return [described, ...marks].join(' ');
}
