import { Help, type Option } from 'commander';

/**
 * An option's line in the help, ending "(required)" when the command does not run without it:
 * commander's own line says nothing of it, so `tenants create --help` read as if --name and
 * --slug could be left out. Set with configureHelp, so `this` is the command's Help.
 */
export function optionDescription(this: Help, option: Option): string {
  const described = Help.prototype.optionDescription.call(this, option);
  return option.mandatory ? `${described} (required)` : described;
}
