import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Platform } from '../../app/create-platform';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';

/** Three ways a tenant file is found broken on disk. */
export const DAMAGES = {
  'a 0-byte file': (file: string) => fs.truncateSync(file, 0),
  'a truncated file': (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)),
  'a garbage file': (file: string) => fs.writeFileSync(file, crypto.randomBytes(16384)),
} as const;
export type DamageKind = keyof typeof DAMAGES;

/** Damages the tenant's file (its handle closed first, so nothing rewrites it). */
export function damage(platform: Platform, tenant: TenantRecord, kind: DamageKind): void {
  platform.router.closeTenant(tenant.id);
  DAMAGES[kind](tenantPaths(platform.config.dataDir, tenant.id).database);
}

/** Every file under the tenant's folder with its size and hash: "untouched" compares these. */
export function folderSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const bytes = fs.readFileSync(full);
    out[path.relative(dir, full)] = `${bytes.length}:${crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
  }
  return out;
}

/**
 * Makes a folder out of this process's reach, as `chmod 000` does for a server that does not run
 * as root (tests may run as root, which no mode stops): stat, lstat, open and readdir of anything
 * in it fail with EACCES, and of the folder itself too when `folderToo`. Returns the undo.
 */
export function outOfReach(dir: string, options: { folderToo?: boolean } = {}): () => void {
  const root = path.resolve(dir);
  const refused = (target: fs.PathLike) => {
    const full = path.resolve(String(target));
    return full.startsWith(root + path.sep) || (options.folderToo === true && full === root);
  };
  const eacces = (syscall: string, target: fs.PathLike) =>
    Object.assign(new Error(`EACCES: permission denied, ${syscall} '${String(target)}'`), { code: 'EACCES', errno: -13, syscall, path: String(target) });
  const spies = (['statSync', 'lstatSync', 'openSync', 'readdirSync'] as const).map((name) => {
    const original = fs[name] as (...args: unknown[]) => unknown;
    return jest.spyOn(fs, name).mockImplementation(((target: fs.PathLike, ...rest: unknown[]) => {
      if (refused(target)) throw eacces(name.replace(/Sync$/, '').replace(/^readdir$/, 'scandir'), target);
      return original.call(fs, target, ...rest);
    }) as never);
  });
  return () => spies.forEach((spy) => spy.mockRestore());
}
