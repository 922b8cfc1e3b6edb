import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { Transform } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { ImportRefusedError } from '../../core/errors/app-errors';
import { printable } from '../../core/cli/cli-io';
import { MANIFEST_FILE } from '../backups/backup-manifest';
import { exportManifestSchema, MAX_EXPORT_ENTRIES, type ExportManifest } from './export-manifest';

/** The only paths an export holds. */
const LAYOUT = /^(manifest\.json|tenant\.sqlite|files\/[0-9a-f]{32})$/;
const MANIFEST_MAX_BYTES = 16 * 1024 * 1024;
/** Tar headers and padding on top of the files' own bytes: two blocks per entry, plus the end. */
const overheadOf = (entries: number) => entries * 1024 + 10 * 1024;

export interface ArchiveLimits {
  /** Most bytes the archive may unpack to (IMPORT_MAX_MB). */
  maxBytes: number;
}

/**
 * Unpacks an export (.tar.gz) into `into`, which must be empty, treating it as hostile: the
 * gzip stream is counted as it is inflated and cut off past the limit (a zip bomb never gets
 * written), every entry must be a plain file at one of the export's own paths (anything else,
 * `../`, absolute paths, links, devices, duplicates, is refused), nothing is written outside
 * `into`, and every file must match the size and sha256 the manifest gives. A truncated or corrupt
 * archive is refused too. Returns the manifest; throws ImportRefusedError naming the reason.
 */
export async function readArchive(archive: string, into: string, limits: ArchiveLimits): Promise<ExportManifest> {
  const budget = limits.maxBytes;
  const seen = new Map<string, { size: number; sha256: string }>();
  let manifestText = '';
  let unpacked = 0;
  let refusal: ImportRefusedError | undefined;
  /** A write into `into` that failed (a full disk): the import stops, and this is thrown as it is. */
  let failure: unknown;
  const open = new Set<number>();

  const parser = new Parser({ strict: true });
  const input = fs.createReadStream(archive);
  const gunzip = zlib.createGunzip();
  const refuse = (reason: string, cause?: unknown) => {
    if (refusal) return;
    refusal = new ImportRefusedError(reason);
    failure = cause;
    input.destroy();
    gunzip.destroy();
    parser.abort(refusal);
  };
  /** Runs a write of the unpacking; one that throws stops the import instead of the process (it runs in a stream's event). */
  const writing = (write: () => void) => {
    try {
      write();
    } catch (error) {
      refuse(`it could not be unpacked (${printable(error instanceof Error ? error.message : String(error)).slice(0, 200)})`, error);
    }
  };
  let inflated = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inflated += chunk.length;
      if (inflated > budget + overheadOf(seen.size + 1)) {
        refuse(`the archive unpacks to more than ${Math.round(budget / (1024 * 1024))} MB (IMPORT_MAX_MB)`);
        return done();
      }
      done(null, chunk);
    },
  });

  parser.on('entry', (entry: ReadEntry) => {
    const name = entry.path;
    if (refusal) return entry.resume();
    if (entry.type === 'Directory' && (name === 'files' || name === 'files/')) return entry.resume();
    if (!LAYOUT.test(name)) return (refuse(`it holds an entry outside the export layout: "${printable(name).slice(0, 200)}"`), entry.resume());
    if (entry.type !== 'File' && entry.type !== 'OldFile') return (refuse(`"${name}" is a ${entry.type}, not a plain file`), entry.resume());
    if (seen.has(name)) return (refuse(`"${name}" appears twice`), entry.resume());
    if (seen.size >= MAX_EXPORT_ENTRIES) return (refuse(`it holds more than ${MAX_EXPORT_ENTRIES} entries`), entry.resume());
    const size = entry.size ?? 0;
    if (unpacked + size > budget) return (refuse(`the archive unpacks to more than ${Math.round(budget / (1024 * 1024))} MB (IMPORT_MAX_MB)`), entry.resume());
    if (name === MANIFEST_FILE && size > MANIFEST_MAX_BYTES) return (refuse('its manifest is too large'), entry.resume());
    unpacked += size;
    seen.set(name, { size: 0, sha256: '' });
    const target = path.join(into, ...name.split('/'));
    let fd = -1;
    writing(() => {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fd = fs.openSync(target, 'wx', 0o600);
      open.add(fd);
    });
    if (refusal) return entry.resume();
    const hash = crypto.createHash('sha256');
    let written = 0;
    entry.on('data', (chunk: Buffer) => {
      if (refusal) return;
      writing(() => void fs.writeSync(fd, chunk));
      hash.update(chunk);
      written += chunk.length;
      if (name === MANIFEST_FILE) manifestText += chunk.toString('utf8');
    });
    entry.on('end', () => {
      if (!open.delete(fd)) return;
      fs.closeSync(fd);
      seen.set(name, { size: written, sha256: hash.digest('hex') });
    });
  });

  await new Promise<void>((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve();
    };
    const broken = (error: Error) => {
      refuse(`the archive is truncated or corrupt (${printable(error.message).slice(0, 200)})`);
      finish();
    };
    input.on('error', broken);
    gunzip.on('error', broken);
    parser.on('error', broken);
    parser.on('abort', finish);
    parser.on('end', finish);
    input
      .pipe(gunzip)
      .pipe(counter)
      .pipe(parser as unknown as NodeJS.WritableStream);
  });
  // Entries cut off by a refusal never end: their files are closed here (the caller removes the folder).
  for (const fd of open) fs.closeSync(fd);
  if (failure) throw failure;
  if (refusal) throw refusal;
  return checkAgainstManifest(manifestText, seen);
}

function checkAgainstManifest(text: string, seen: Map<string, { size: number; sha256: string }>): ExportManifest {
  if (!seen.has(MANIFEST_FILE)) throw new ImportRefusedError('it has no manifest.json: it is not a Tenantry export');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ImportRefusedError('its manifest.json is not valid JSON');
  }
  const parsed = exportManifestSchema.safeParse(raw);
  if (!parsed.success) throw new ImportRefusedError('its manifest.json is not a Tenantry export manifest (version 1)');
  const manifest = parsed.data;
  const listed = new Set(manifest.files.map((f) => f.path));
  if (!listed.has('tenant.sqlite')) throw new ImportRefusedError('its manifest lists no tenant.sqlite');
  for (const entry of manifest.files) {
    const found = seen.get(entry.path);
    if (!found) throw new ImportRefusedError(`${entry.path} is missing from the archive (truncated?)`);
    if (found.size !== entry.size || found.sha256 !== entry.sha256) throw new ImportRefusedError(`${entry.path} does not match the checksum in the manifest`);
  }
  for (const name of seen.keys())
    if (name !== MANIFEST_FILE && !listed.has(name)) throw new ImportRefusedError(`${name} is in the archive but not in its manifest`);
  return manifest;
}
