import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import * as tar from 'tar';

export interface RawEntry {
  name: string;
  body?: Buffer | string;
  /** Tar type flag: '0' file, '2' symlink, '1' hard link, '5' directory. */
  type?: string;
  link?: string;
}

function header(entry: RawEntry, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(entry.name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('14711156227\0', 136);
  h.write('        ', 148);
  h.write(entry.type ?? '0', 156);
  h.write(entry.link ?? '', 157, 100, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/**
 * A .tar.gz written byte by byte, so a test can hold exactly what an attacker would put in one:
 * any path, any type, duplicates. `declaredSize` lets an entry claim a size its body does not have.
 */
export function rawTarGz(entries: Array<RawEntry & { declaredSize?: number }>): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? '');
    parts.push(header(entry, entry.declaredSize ?? body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(parts));
}

const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

/** Unpacks a real export into a temp folder (test side: node-tar, trusted input). */
export async function unpack(archive: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-unpacked-'));
  await tar.x({ file: archive, cwd: dir });
  return dir;
}

/**
 * Unpacks an export, lets `change` edit its files, and packs it again into `out`. With
 * `recomputeChecksums` the manifest is made to match the edited files (so only the deeper checks
 * can catch the change); without it the manifest keeps the old checksums.
 */
export async function repack(archive: string, out: string, change: (dir: string) => void, options: { recomputeChecksums: boolean }): Promise<void> {
  const dir = await unpack(archive);
  change(dir);
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { files: Array<{ path: string; size: number; sha256: string }> };
  if (options.recomputeChecksums) {
    for (const entry of manifest.files) {
      const bytes = fs.readFileSync(path.join(dir, entry.path));
      entry.size = bytes.length;
      entry.sha256 = sha256(bytes);
    }
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  }
  const names = ['manifest.json', ...fs.readdirSync(dir).filter((n) => n !== 'manifest.json' && n !== 'files')];
  if (fs.existsSync(path.join(dir, 'files'))) names.push(...fs.readdirSync(path.join(dir, 'files')).map((n) => `files/${n}`));
  await tar.c({ gzip: true, file: out, cwd: dir, portable: true, noDirRecurse: true }, names);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A manifest for raw archives: `files` as they will be put in the archive. */
export function manifestFor(files: Record<string, Buffer>, migrations: string[], overrides: Record<string, unknown> = {}): string {
  const entries = Object.entries(files).map(([p, bytes]) => ({ path: p, size: bytes.length, sha256: sha256(bytes) }));
  return JSON.stringify({
    format: 'tenantry-export',
    version: 1,
    exported_at: new Date().toISOString(),
    tenant: { id: 't000000000000000000000000', slug: 'crafted', name: 'Crafted' },
    schema_version: migrations.at(-1) ?? null,
    migrations,
    secrets_removed: [],
    files: entries,
    total_bytes: entries.reduce((s, e) => s + e.size, 0),
    ...overrides,
  });
}
