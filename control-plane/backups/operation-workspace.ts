import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fsyncDir } from '../../core/fs/durable-files';
import { TENANT_ID_PATTERN, tenantsRoot } from '../../tenant-runtime/tenant-paths';
import { NotFoundError } from '../../core/errors/app-errors';

/**
 * Work folders of operations that replace or create tenant data (restore, import), inside
 * DATA_DIR/tenants/ so that putting their result in place is a rename on the same file system.
 */
export function operationsRoot(dataDir: string, kind: 'restoring' | 'importing'): string {
  return path.join(tenantsRoot(dataDir), `.${kind}`);
}

/** DATA_DIR/tenants/.restoring/<tenant-id>/: one restore per tenant at a time. */
export function restoreWorkDir(dataDir: string, tenantId: string): string {
  if (!TENANT_ID_PATTERN.test(tenantId)) throw new NotFoundError('Unknown tenant');
  return path.join(operationsRoot(dataDir, 'restoring'), tenantId);
}

/** Writes a small JSON state file atomically (temp file, flush, rename, flush the folder). */
export function writeJsonAtomically(file: string, value: unknown): void {
  const temp = `${file}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(value, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  fsyncDir(path.dirname(file));
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
