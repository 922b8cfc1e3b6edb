import fs from 'node:fs';
import path from 'node:path';
import { OperationFailedError } from '../../core/errors/app-errors';
import { copyFileDurably, fsyncDir } from '../../core/fs/durable-files';

/** Copies the backup next to the live folder, checking each copy against the manifest's checksum. */
export function stageBackup(backupDir: string, files: Array<{ path: string; size: number; sha256: string }>, target: string): void {
  fs.mkdirSync(path.join(target, 'files'), { recursive: true });
  for (const entry of files) {
    const parts = entry.path.split('/');
    const digest = copyFileDurably(path.join(backupDir, ...parts), path.join(target, ...parts));
    if (digest.sha256 !== entry.sha256 || digest.size !== entry.size) throw new OperationFailedError(`The copy of ${entry.path} does not match its checksum.`);
  }
  fsyncDir(path.join(target, 'files'));
  fsyncDir(target);
}
