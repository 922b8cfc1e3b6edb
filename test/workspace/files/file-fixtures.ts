import zlib from 'node:zlib';
import type { Response } from 'superagent';
import type { Platform } from '../../../app/create-platform';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { TenantDatabase } from '../../../tenant-runtime/tenant-database';
import { csrfFrom, type Agent } from '../../support/http-agent';

/** Small files whose first bytes are what they claim (or, on purpose, are not). */
export const FIXTURES = {
  png: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
  // SOI, a JFIF segment, a start of frame declaring 1 × 1 pixels (one component), EOI.
  jpeg: Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x08]),
    Buffer.from('JFIF\0\x01', 'latin1'),
    Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9]),
  ]),
  // A lossy WebP whose frame header declares 1 × 1 pixels.
  webp: Buffer.concat([
    Buffer.from('RIFF'),
    Buffer.from([0x1a, 0, 0, 0]),
    Buffer.from('WEBPVP8 '),
    Buffer.from([0x0e, 0, 0, 0, 0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x01, 0x00, 0x01, 0x00]),
  ]),
  gif: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
  pdf: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'),
  docx: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), Buffer.from('[Content_Types].xml'), Buffer.alloc(16)]),
  xls: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(32)]),
  csv: Buffer.from('title,channel\nLaunch post,blog\n'),
  text: Buffer.from('Plain notes, with ünïcode.\n'),
  html: Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'),
  svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'),
  exe: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from([0x50, 0x45, 0, 0])]),
};

/** A small PNG whose header (IHDR, with its checksum) declares width × height pixels; the pixels themselves are not there. */
export function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(17);
  ihdr.write('IHDR', 0, 'latin1');
  ihdr.writeUInt32BE(width, 4);
  ihdr.writeUInt32BE(height, 8);
  ihdr.set([8, 6, 0, 0, 0], 12);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(ihdr));
  return Buffer.concat([FIXTURES.png.subarray(0, 8), Buffer.from([0, 0, 0, 13]), ihdr, crc, FIXTURES.png.subarray(33)]);
}

/** A JPEG whose start of frame (after a JFIF segment) declares width × height pixels. */
export function jpegDeclaring(width: number, height: number): Buffer {
  const frame = Buffer.from([0xff, 0xc2, 0x00, 0x0b, 0x08, 0, 0, 0, 0, 0x01, 0x01, 0x11, 0x00]);
  frame.writeUInt16BE(height, 5);
  frame.writeUInt16BE(width, 7);
  return Buffer.concat([FIXTURES.jpeg.subarray(0, 12), frame, Buffer.from([0xff, 0xd9])]);
}

/** An extended WebP (VP8X) whose canvas is width × height pixels. */
export function webpDeclaring(width: number, height: number): Buffer {
  const chunk = Buffer.alloc(18);
  chunk.write('VP8X', 0, 'latin1');
  chunk.writeUInt32LE(10, 4);
  chunk.writeUIntLE(width - 1, 12, 3);
  chunk.writeUIntLE(height - 1, 15, 3);
  const header = Buffer.from('RIFF\0\0\0\0WEBP', 'latin1');
  header.writeUInt32LE(4 + chunk.length, 4);
  return Buffer.concat([header, chunk]);
}

/** POSTs a multipart form the way a browser would: one file, the CSRF token in the action's query string. */
export async function uploadFile(agent: Agent, url: string, field: string, bytes: Buffer, filename: string, contentType: string, tokenPage = '/tenants') {
  const token = await csrfFrom(agent, tokenPage);
  return agent.post(`${url}?_csrf=${encodeURIComponent(token)}`).attach(field, bytes, { filename, contentType });
}

/** Runs fn on the tenant's database through the router, as a request would. */
export async function withTenantDb<T>(platform: Platform, tenant: TenantRecord, fn: (db: TenantDatabase) => T): Promise<T> {
  const lease = await platform.router.acquire(tenant.id);
  try {
    return fn(lease.db);
  } finally {
    lease.release();
  }
}

/** An item row written straight into the tenant's file (only the columns every version has). */
export function seedItem(platform: Platform, tenant: TenantRecord, title: string): Promise<number> {
  return withTenantDb(platform, tenant, (db) =>
    Number(db.run('insert into items (title, body, created_at, updated_at) values (?, ?, ?, ?)', [title, '', Date.now(), Date.now()]).lastInsertRowid),
  );
}

/** Reads a binary response body into a Buffer (supertest leaves unknown types unparsed). */
export function binaryParser(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  // At run time a parser is handed the raw response stream.
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
