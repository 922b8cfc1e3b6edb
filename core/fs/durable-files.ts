import fs from 'node:fs';
import crypto from 'node:crypto';

/** Flushes a file's bytes to the disk (a copy that must survive a power cut once it is announced). */
export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a folder's entries (a rename or a new file in it) to the disk. */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder; the rename is still atomic.
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Flushes several files, then several folders, with the flushes of each group in flight together
 * (libuv's thread pool): the file system can commit them in fewer journal flushes than one after
 * the other. Every file is flushed before any folder. A folder that cannot be opened or refuses
 * fsync is skipped, as in fsyncDir.
 */
export async function flushTogether(files: string[], dirs: string[] = []): Promise<void> {
  await Promise.all(files.map((file) => flushPath(file, true)));
  await Promise.all(dirs.map((dir) => flushPath(dir, false)));
}

async function flushPath(target: string, mustFlush: boolean): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(target, 'r');
  } catch (error) {
    if (mustFlush) throw error;
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (mustFlush) throw error;
  } finally {
    await handle.close();
  }
}

export interface FileDigest {
  size: number;
  sha256: string;
}

const CHUNK = 1024 * 1024;

/** Size and sha256 of a file, read in chunks. */
export function digestFile(file: string): FileDigest {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let size = 0;
  try {
    for (let read = fs.readSync(fd, buffer, 0, CHUNK, null); read > 0; read = fs.readSync(fd, buffer, 0, CHUNK, null)) {
      hash.update(buffer.subarray(0, read));
      size += read;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * Copies a file (a reflink where the file system offers one), flushes the copy, and returns the
 * digest of what landed on the disk: the copy is read back, so a bad copy does not go unnoticed.
 */
export function copyFileDurably(source: string, target: string): FileDigest {
  fs.copyFileSync(source, target, fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE);
  fsyncFile(target);
  return digestFile(target);
}

/** Writes a small file and flushes it. */
export function writeFileDurably(file: string, data: string | Buffer): void {
  fs.writeFileSync(file, data, { mode: 0o600, flag: 'wx' });
  fsyncFile(file);
}
