import { CommanderError, type Command } from 'commander';
import { AppError, ConfigError, NotFoundError, ValidationError } from '../errors/app-errors';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, printable, printableLines, type CliContext } from './cli-io';
import { DISK_FULL_REASON, isDiskFull } from '../errors/disk-full';
import { isBusyError } from '../db/busy-retry';

/** Names a field by the option that carries it (`owner_email` -> `--owner-email`) when there is one. */
function fieldLabel(field: string, command?: Command): string {
  const flag = `--${field.replace(/_/g, '-')}`;
  const option = command?.options.find((o) => o.long === flag && !o.hidden);
  return option ? flag : field;
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string' && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/**
 * Turns a thrown error into messages on stderr and an exit code: 2 for usage, validation,
 * configuration and unknown-tenant errors, 1 for operational failures (including the OS
 * refusing a file operation, and a lock another process kept past every wait). Only unexpected
 * errors (bugs) print a stack trace.
 */
export function reportError(ctx: CliContext, error: unknown): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message (or the help) through configureOutput.
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  // Every message below may quote what was typed or read from a file: never raw to the terminal.
  if (error instanceof CliError) {
    ctx.err(`error: ${printableLines(error.message)}`);
    return error.exitCode;
  }
  if (error instanceof ValidationError) {
    for (const { field, message } of error.fields) ctx.err(`error: ${fieldLabel(field, ctx.command)} ${printableLines(message)}`);
    return EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    ctx.err(`error: ${printableLines(error.message)}`);
    return EXIT_USAGE;
  }
  if (error instanceof NotFoundError) {
    ctx.err(`error: ${printable(error.message)}`);
    return EXIT_USAGE;
  }
  if (error instanceof AppError) {
    ctx.err(`error: ${printable(error.message)}`);
    return EXIT_FAILURE;
  }
  if (isDiskFull(error)) {
    // SQLITE_FULL or ENOSPC from deep inside a command: said in words, not as a stack.
    ctx.err(`error: ${DISK_FULL_REASON}`);
    return EXIT_FAILURE;
  }
  if (isBusyError(error)) {
    // Another process (a long command, a server's long write, a tool with a transaction open)
    // held a file's lock past every wait and retry: said in words, not as a stack.
    ctx.err(
      'error: another process kept the database locked too long; the command stopped at the step that needed it. Try again once that process is done (a long-running command, or a tool holding a transaction open on a file in DATA_DIR).',
    );
    return EXIT_FAILURE;
  }
  if (isSystemError(error)) {
    // The file system or the OS refused (permissions, full disk, a file where a folder should be).
    ctx.err(`error: ${printable(error.message)}`);
    return EXIT_FAILURE;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  ctx.err(`error: unexpected failure:\n${detail}`);
  return EXIT_FAILURE;
}
