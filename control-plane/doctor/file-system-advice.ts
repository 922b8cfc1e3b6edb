import { describeFileSystem, type FileSystemInfo } from '../../core/fs/file-system-of';

/**
 * What an operator should know about the file system under DATA_DIR, or undefined when there is
 * nothing to say. ext4 without a journal: its inode allocator passes over every inode deleted in
 * the last minutes (a check that only runs without a journal), and the router deletes and creates
 * a tenant's `-wal` and `-shm` on every eviction and miss (docs/decisions/045).
 */
export function fileSystemAdvice(info: FileSystemInfo | undefined): string | undefined {
  if (info?.type !== 'ext4' || info.journal !== false) return undefined;
  return (
    `DATA_DIR is on ${describeFileSystem(info)}: there, creating a file after others were deleted costs ` +
    'up to a millisecond instead of tens of microseconds, and every tenant opened after another was closed ' +
    'creates two (its -wal and -shm); after a power loss the file system must be checked before use. ' +
    'A journaled file system (ext4 with its journal, the default, or XFS) avoids both.'
  );
}
