import fs from 'node:fs';
import path from 'node:path';

export interface DiskSpace {
  /** The folder asked about. */
  dir: string;
  /** Bytes an unprivileged process may still write. */
  freeBytes: number;
  totalBytes: number;
  /** Free space is below the configured threshold. */
  low: boolean;
}

/** `dir` if it exists, else its nearest parent that does (a folder not made yet is on its parent's file system). */
export function nearestExisting(dir: string): string {
  let probe = path.resolve(dir);
  while (!fs.existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  return probe;
}

/** Free space on the file system holding `dir` (or its nearest existing parent). */
export function diskSpace(dir: string, lowBelowBytes: number): DiskSpace | undefined {
  try {
    const stat = fs.statfsSync(nearestExisting(dir));
    const freeBytes = stat.bavail * stat.bsize;
    return { dir, freeBytes, totalBytes: stat.blocks * stat.bsize, low: freeBytes < lowBelowBytes };
  } catch {
    return undefined;
  }
}
