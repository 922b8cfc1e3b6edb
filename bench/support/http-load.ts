import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import autocannon from 'autocannon';
import { mainThreadCpuMs } from './process-sampler';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Starts an app on an ephemeral loopback port. */
export async function listen(app: Express): Promise<Listening> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface LoadOptions {
  url: string;
  /** One path, or a sequence walked in order by every connection together. */
  paths: string | string[];
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Main-thread (server) CPU time per request, in microseconds. */
  cpuUsPerRequest: number;
  requests: number;
  non2xx: number;
  errors: number;
}

const SEQUENCE_MODULE = path.join(__dirname, 'path-sequence-request.ts');

/**
 * Drives the server with autocannon. The load generator runs in one autocannon worker thread
 * (still in this process, over loopback), so the server's event loop is not shared with the
 * client and the measured throughput is the server's.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const sequence = Array.isArray(options.paths) ? options.paths : undefined;
  const single = Array.isArray(options.paths) ? options.paths[0] : options.paths;
  const cpuBefore = mainThreadCpuMs();
  const result = await autocannon({
    url: options.url + single,
    connections: options.connections,
    duration: options.seconds,
    workers: 1,
    headers: options.headers,
    // Extra request fields reach setupRequest untouched; the module is required inside the worker.
    ...(sequence ? { requests: [{ method: 'GET', path: single, setupRequest: SEQUENCE_MODULE, paths: sequence } as unknown as autocannon.Request] } : {}),
  });
  const cpuMs = mainThreadCpuMs() - cpuBefore;
  const seconds = result.duration > 0 ? result.duration : options.seconds;
  return {
    reqPerSec: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.average,
    cpuUsPerRequest: result.requests.total > 0 ? (cpuMs * 1000) / result.requests.total : Number.NaN,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
