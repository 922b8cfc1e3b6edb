import express from 'express';
import request from 'supertest';
import type { Request } from 'express';
import { clientOf, RequestClient } from '../../../core/http/client-of';

/** A request whose address is counted each time it is read. */
class CountingRequest {
  reads = 0;
  readonly headers: Record<string, string>;

  constructor(
    private readonly address: string | undefined,
    userAgent?: string,
  ) {
    this.headers = userAgent === undefined ? {} : { 'user-agent': userAgent };
  }

  get ip(): string | undefined {
    this.reads++;
    return this.address;
  }
}

function countingRequest(ip: string | undefined, userAgent?: string): { req: Request; reads: () => number } {
  const req = new CountingRequest(ip, userAgent);
  return { req: req as unknown as Request, reads: () => req.reads };
}

describe("a request's client", () => {
  it('as plain data keeps its address and user agent when spread into a record', () => {
    const { req } = countingRequest('203.0.113.9', 'Browser/1.0');
    expect({ action: 'x', ...clientOf(req) }).toEqual({ action: 'x', ip: '203.0.113.9', userAgent: 'Browser/1.0' });
  });

  it('as plain data is null for what the request does not tell', () => {
    expect(clientOf(countingRequest(undefined).req)).toEqual({ ip: null, userAgent: null });
  });

  it('read lazily does not compute the address until it is asked, then only once', () => {
    const { req, reads } = countingRequest('198.51.100.4', 'Agent');
    const client = new RequestClient(req);
    expect(reads()).toBe(0);
    expect(client.ip).toBe('198.51.100.4');
    expect(client.ip).toBe('198.51.100.4');
    expect(reads()).toBe(1);
    expect(client.userAgent).toBe('Agent');
  });

  it('read lazily is null for what the request does not tell', () => {
    const client = new RequestClient(countingRequest(undefined).req);
    expect(client.ip).toBeNull();
    expect(client.userAgent).toBeNull();
  });

  it('read lazily gives the address express computes behind a trusted proxy', async () => {
    const app = express();
    app.set('trust proxy', 'loopback');
    app.get('/', (req, res) => {
      const client = new RequestClient(req);
      res.json({ ip: client.ip, userAgent: client.userAgent });
    });
    const res = await request(app).get('/').set('X-Forwarded-For', '192.0.2.7').set('User-Agent', 'Proxy-Test').expect(200);
    expect(res.body).toEqual({ ip: '192.0.2.7', userAgent: 'Proxy-Test' });
  });
});
