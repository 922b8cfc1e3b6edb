import { msg } from '../../core/i18n/message';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { DiskFullError, NotFoundError } from '../../core/errors/app-errors';
import { isDiskFull } from '../../core/errors/disk-full';
import { STORED_FILE_NAME, tenantPaths } from '../../tenant-runtime/tenant-paths';
import { pausePoint } from '../../core/process/pause-point';

/** Stored names are generated here and nowhere else: 32 lowercase hex characters, no extension. */
export const STORED_NAME_PATTERN = STORED_FILE_NAME;
const TEMP_PREFIX = '.upload-';

/**
 * One tenant's files folder (data/tenants/<id>/files/). A stored name comes from the tenant's
 * own database and is checked against the pattern and the folder before it becomes a path,
 * so nothing a user types (a file name, an id, `../`) can name another file.
 */
export class TenantFileStore {
  constructor(readonly dir: string) {}

  static forTenant(dataDir: string, tenantId: string): TenantFileStore {
    return new TenantFileStore(tenantPaths(dataDir, tenantId).files);
  }

  pathOf(storedName: string): string {
    if (!STORED_NAME_PATTERN.test(storedName)) throw new NotFoundError();
    const full = path.resolve(this.dir, storedName);
    if (path.dirname(full) !== path.resolve(this.dir)) throw new NotFoundError();
    return full;
  }

  /**
   * Writes the bytes under a new random name (temp file, then rename) and returns the name. A
   * write that fails (a full disk) leaves no temp file behind and says so in words.
   */
  async write(bytes: Buffer): Promise<string> {
    const storedName = crypto.randomBytes(16).toString('hex');
    const temp = path.join(this.dir, `${TEMP_PREFIX}${storedName}`);
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      await fs.promises.writeFile(temp, bytes, { flag: 'wx', mode: 0o600 });
      pausePoint('files:temp-written');
      await fs.promises.rename(temp, this.pathOf(storedName));
    } catch (error) {
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      if (isDiskFull(error)) {
        throw new DiskFullError(
          msg('The disk is full: the file could not be saved. Delete files you no longer need, or ask your administrator to free space.'),
          {},
          { cause: error },
        );
      }
      throw error;
    }
    return storedName;
  }

  async read(storedName: string): Promise<Buffer> {
    try {
      return await fs.promises.readFile(this.pathOf(storedName));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError();
      throw error;
    }
  }

  async remove(storedName: string): Promise<void> {
    await fs.promises.rm(this.pathOf(storedName), { force: true });
  }

  /**
   * Removes files no row refers to any more (an item deleted with its attachments, an upload
   * cut off half-way). Only files older than `minAgeMs` go, so an upload whose row is not yet
   * written is left alone.
   */
  async sweep(referenced: ReadonlySet<string>, minAgeMs: number): Promise<number> {
    let entries: string[];
    try {
      entries = await fs.promises.readdir(this.dir);
    } catch {
      return 0;
    }
    const cutoff = Date.now() - minAgeMs;
    let removed = 0;
    for (const entry of entries) {
      const orphan = STORED_NAME_PATTERN.test(entry) ? !referenced.has(entry) : entry.startsWith(TEMP_PREFIX);
      if (!orphan) continue;
      const full = path.join(this.dir, entry);
      const stat = await fs.promises.lstat(full).catch(() => undefined);
      if (!stat?.isFile() || stat.mtimeMs > cutoff) continue;
      await fs.promises.rm(full, { force: true });
      removed++;
    }
    return removed;
  }
}
