import fs from 'node:fs';
import path from 'node:path';
import { ConflictError, ValidationError } from '../../core/errors/app-errors';
import { echoed } from '../../core/cli/cli-io';
import { verbatim } from '../../core/i18n/message';

/** What is at `where`: undefined when nothing is (a missing folder on the way counts as nothing; a file on the way throws ENOTDIR, read as nothing too). */
function statOf(where: string): fs.Stats | undefined {
  try {
    return fs.statSync(where, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw refused(`cannot be written: ${echoed(where, 200)} cannot be reached`, error);
  }
}

function refused(reason: string, error: unknown): ValidationError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'EACCES' || code === 'EPERM' ? `permission denied (${code})` : `(${code ?? 'error'})`;
  return ValidationError.single('out', verbatim(`${reason}: ${why}`));
}

/**
 * The file an export is written to (`--out`), checked before any work: only a file is ever
 * replaced (never a folder, a device or a pipe), and only with `force`. A folder missing on the way
 * is made when the archive is written; the nearest one that exists must be a folder this process
 * may write in, else the export would be built only to fail at its last step with the system's
 * message. Answers the path, made absolute.
 */
export function exportTarget(given: string, force: boolean): string {
  if (!given.trim()) throw ValidationError.single('out', 'must name the file to write');
  const out = path.resolve(given);
  const existing = statOf(out);
  if (existing && !existing.isFile())
    throw ValidationError.single('out', `is ${existing.isDirectory() ? 'a folder' : 'not a regular file'}: name a file to write`);
  if (!force && existing) throw new ConflictError(`${out} already exists; choose another file or replace it with --force.`);
  let folder = path.dirname(out);
  let found = statOf(folder);
  while (!found && path.dirname(folder) !== folder) {
    folder = path.dirname(folder);
    found = statOf(folder);
  }
  const shown = echoed(folder, 200);
  if (!found?.isDirectory()) throw ValidationError.single('out', verbatim(`cannot be written: ${shown} is not a folder`));
  try {
    fs.accessSync(folder, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    throw refused(`cannot be written in ${shown}`, error);
  }
  return out;
}
