import { Command, type Option, type ParseOptionsResult } from 'commander';

/** The two checks of commander's this class puts in another order; they are not in its typings. */
interface CommanderChecks {
  unknownOption(flag: string): void;
  missingMandatoryOptionValue(option: Option): void;
}

const checks = Command.prototype as unknown as CommanderChecks;

/**
 * A command that names an option it does not know before one it misses. commander checks the
 * required options first, so a mistyped flag (`tenants create --nmae Acme --slug acme`) was
 * answered "required option '--name <name>' not specified", never naming what was typed. Every
 * command made from this one (`.command()`) is one too.
 */
export class CheckedCommand extends Command {
  private unknownFlags: string[] = [];

  override createCommand(name?: string): Command {
    return new CheckedCommand(name);
  }

  override parseOptions(argv: string[]): ParseOptionsResult {
    const parsed = super.parseOptions(argv);
    this.unknownFlags = parsed.unknown;
    return parsed;
  }

  /** Called by commander for a required option left out, after the help flags were looked for. */
  missingMandatoryOptionValue(option: Option): void {
    const first = this.unknownFlags[0];
    if (first?.startsWith('-')) checks.unknownOption.call(this, first);
    checks.missingMandatoryOptionValue.call(this, option);
  }
}
