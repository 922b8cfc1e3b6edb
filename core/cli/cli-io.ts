import { Option, type Command } from 'commander';

/** Anything the CLI writes to: process.stdout/stderr, or a buffer in tests. */
export interface CliOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Everything the CLI reads from or writes to the outside world, injected so that tests run
 * the real program in-process.
 */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: CliOutput;
  stderr: CliOutput;
  stdin?: NodeJS.ReadableStream;
  /** Whether stdin (password prompt) and stderr (progress bar) are terminals. */
  isTTY?: { stdin?: boolean; stderr?: boolean };
  /** Asks a question without echoing the answer; defaults to a muted readline on stdin/stderr. */
  prompt?: (question: string) => Promise<string>;
  /** Tests point the tenant migration track at another folder. */
  platformOptions?: { tenantMigrationsDir?: string };
}

/**
 * Opens the platform for one command and always closes it afterwards. Built in app/ and handed
 * to each layer's commands, which name the narrow type they need.
 */
export type WithPlatform<P> = <T>(fn: (platform: P) => Promise<T>) => Promise<T>;

/** An expected failure of the CLI itself (missing password, mismatch): message only, no stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit codes: 0 done, 1 operational failure, 2 usage or validation error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Per-run state shared by the commands: the streams, the exit code, the command being run. */
export class CliContext {
  exitCode = EXIT_OK;
  /** The command whose action runs (set by a preAction hook): used to name options in errors. */
  command?: Command;

  constructor(readonly io: CliIo) {}

  out(line = ''): void {
    this.io.stdout.write(`${line}\n`);
  }

  err(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }

  json(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }

  get stdinIsTTY(): boolean {
    return Boolean(this.io.isTTY?.stdin);
  }

  get stderrIsTTY(): boolean {
    return Boolean(this.io.isTTY?.stderr);
  }
}

/** Replaces control characters, so a stored name cannot move the cursor or recolour the terminal. */
export function printable(value: unknown): string {
  // eslint-disable-next-line no-control-regex
  return String(value ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** `printable` line by line: a message of several lines keeps its line ends, nothing else. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

function truncate(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

/** A value the user typed, echoed in a message: printable, and cut to `max` characters (an ellipsis marks the cut). */
export function echoed(value: unknown, max = 80): string {
  return truncate(printable(value), max);
}

/**
 * An option that takes text which must show something: given as "" (or blanks) it is refused
 * with exit 2 ("--until must not be empty") instead of being read as "not given". `parse`, if
 * given, reads the value afterwards (as commander's own option parser would).
 */
export function textOption<T = string>(flags: string, description: string, parse?: (value: string, previous: T) => T): Option {
  const option = new Option(flags, description);
  return option.argParser<T | string>((value, previous) => {
    if (value.trim() === '') throw new CliError(`${option.long ?? option.name()} must not be empty`);
    return parse ? parse(value, previous as T) : value;
  });
}

/** Options made by `repeatableOption`: what the help marks "(repeatable)". */
const REPEATABLE = new WeakSet<Option>();

/**
 * A text option that may be given more than once (`--limit members=10 --limit items=50`): every
 * value, in the order typed. Its line in the help ends "(repeatable)".
 */
export function repeatableOption(flags: string, description: string): Option {
  const option = textOption<string[]>(flags, description, (value, previous = []) => [...previous, value]);
  REPEATABLE.add(option);
  return option;
}

/** The option may be given more than once (made by `repeatableOption`). */
export function isRepeatable(option: Option): boolean {
  return REPEATABLE.has(option);
}

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | null | undefined;
  align?: 'left' | 'right';
  max?: number;
}

/** A plain-text table: a header row and one padded row per record. */
export function formatTable<Row>(columns: Column<Row>[], rows: Row[]): string {
  const cells = rows.map((row) => columns.map((c) => truncate(printable(c.value(row) ?? '-'), c.max ?? 60)));
  const widths = columns.map((c, i) => Math.max([...c.header].length, ...cells.map((r) => [...r[i]].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i].align === 'right' ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

/** Help text listing example invocations. */
export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
