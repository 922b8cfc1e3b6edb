import fs from 'node:fs';
import path from 'node:path';
import { nearestExisting } from './disk-space';

/** The file system a folder is on, as Linux reports its mounts. */
export interface FileSystemInfo {
  /** Where it is mounted. */
  mountPoint: string;
  /** ext4, xfs, tmpfs, overlay, ... */
  type: string;
  /** What is mounted there (`/dev/vda`, `tmpfs`, ...). */
  source: string;
  /**
   * ext4 only: whether it keeps a journal. Undefined when it is not ext4 or when the system does
   * not say (no `/proc/fs/jbd2` entry and no `journal_task` to read).
   */
  journal?: boolean;
}

/** Where the kernel's files are read from: the real ones, or a test's copies. */
export interface SystemFolders {
  proc: string;
  sys: string;
}

const LINUX: SystemFolders = { proc: '/proc', sys: '/sys' };

interface Mount {
  device: string;
  mountPoint: string;
  type: string;
  source: string;
}

/** mountinfo writes spaces, tabs, newlines and backslashes in paths as octal escapes. */
function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** One line of /proc/self/mountinfo: `id parent major:minor root mount-point options [optional...] - type source super-options`. */
function parseMount(line: string): Mount | undefined {
  const fields = line.split(' ');
  const separator = fields.indexOf('-', 6);
  if (separator < 0 || fields.length < separator + 3) return undefined;
  return { device: fields[2], mountPoint: unescapeMountPath(fields[4]), type: fields[separator + 1], source: unescapeMountPath(fields[separator + 2]) };
}

function isUnder(target: string, mountPoint: string): boolean {
  return mountPoint === '/' || target === mountPoint || target.startsWith(mountPoint + '/');
}

/** The block device's kernel name (`vda`, `sda1`, `loop0`), from its major:minor. */
function deviceName(mount: Mount, folders: SystemFolders): string {
  try {
    return path.basename(fs.readlinkSync(path.join(folders.sys, 'dev', 'block', mount.device)));
  } catch {
    return path.basename(mount.source);
  }
}

/** Whether an ext4 file system keeps a journal: jbd2 lists each journal it runs as `<device>-<inode>`. */
function hasJournal(device: string, folders: SystemFolders): boolean | undefined {
  try {
    if (fs.readdirSync(path.join(folders.proc, 'fs', 'jbd2')).some((name) => name.startsWith(`${device}-`))) return true;
  } catch {
    // No jbd2 folder: no journal is running anywhere, or /proc/fs is not shown; journal_task tells.
  }
  try {
    return fs.readFileSync(path.join(folders.sys, 'fs', 'ext4', device, 'journal_task'), 'utf8').trim() !== '<none>';
  } catch {
    return undefined;
  }
}

/**
 * The file system holding `dir` (or its nearest existing parent), or undefined where the mounts
 * cannot be read (not Linux). The last mount over a path is the one that counts.
 */
export function fileSystemOf(dir: string, folders: SystemFolders = LINUX): FileSystemInfo | undefined {
  let probe: string;
  let mountinfo: string;
  try {
    probe = fs.realpathSync(nearestExisting(dir));
    mountinfo = fs.readFileSync(path.join(folders.proc, 'self', 'mountinfo'), 'utf8');
  } catch {
    return undefined;
  }
  let found: Mount | undefined;
  for (const line of mountinfo.split('\n')) {
    const mount = parseMount(line);
    if (mount && isUnder(probe, mount.mountPoint) && (!found || mount.mountPoint.length >= found.mountPoint.length)) found = mount;
  }
  if (!found) return undefined;
  const info: FileSystemInfo = { mountPoint: found.mountPoint, type: found.type, source: found.source };
  if (found.type === 'ext4') info.journal = hasJournal(deviceName(found, folders), folders);
  return info;
}

/** "ext4 without a journal (/dev/vda at /)", for logs and reports. */
export function describeFileSystem(info: FileSystemInfo): string {
  const journal = info.journal === undefined ? '' : info.journal ? ' with a journal' : ' without a journal';
  return `${info.type}${journal} (${info.source} at ${info.mountPoint})`;
}
