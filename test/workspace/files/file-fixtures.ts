import type { Response } from 'superagent';
import type { Platform } from '../../../app/create-platform';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import type { TenantDatabase } from '../../../tenant-runtime/tenant-database';
import { csrfFrom, type Agent } from '../../support/http-agent';

/** Small files whose first bytes are what they claim (or, on purpose, are not). */
export const FIXTURES = {
  png: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
  jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0 fake jpeg body'), Buffer.from([0xff, 0xd9])]),
  webp: Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(14, 1)]),
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
