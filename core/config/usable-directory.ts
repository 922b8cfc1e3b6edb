import fs from 'node:fs';
import { ConfigError } from '../errors/app-errors';
import { makeDirectory } from '../fs/make-directory';

/**
 * The refusal of a folder named by a variable (DATA_DIR, BACKUP_DIR) that cannot be created or
 * written: one line naming the variable, the path and the system's reason, as a start-up prints it.
 */
export function unusableDirectory(variable: string, dir: string, error: unknown): ConfigError {
  const reason = directoryProblem(error as NodeJS.ErrnoException);
  return new ConfigError(
    `Invalid configuration:\n  ${variable}: cannot create or write ${dir} (${reason})`,
    { problems: [`${variable}: ${reason}`] },
    { cause: error },
  );
}

/**
 * Makes the folder a variable names (and its parents) and checks that this user may write it, at
 * start-up: a folder that cannot be used is refused there with unusableDirectory, not found later
 * as a stack from the first file written in it.
 */
export function requireUsableDirectory(variable: string, dir: string): void {
  try {
    makeDirectory(dir);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw unusableDirectory(variable, dir, error);
  }
}

/** Why a folder is unusable, in the system's words ("ENOTDIR: not a directory"), without the call and path Node appends. */
function directoryProblem(error: NodeJS.ErrnoException): string {
  if (!error.code) return error.message;
  return error.message.startsWith(`${error.code}: `) ? error.message.split(', ')[0] : error.code;
}
