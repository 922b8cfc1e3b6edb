import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { mainThreadCpuMs, processCpuMs, totalCpuUs } from './process-sampler';
import type { LoadJob, LoadReply } from './load-child';
import { nextAnswer } from './child-answer';

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
  /** Extra headers by path (a cookie per tenant, say), added to `headers` for requests to that path. */
  headersByPath?: Record<string, Record<string, string>>;
  connections: number;
  seconds: number;
  /** The server's process when it is not this one (its CPU time is counted instead). */
  serverPid?: number;
}

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Server CPU time per request, whole process (every thread: GC, helpers, the thread pool), in microseconds. */
  cpuUsPerRequest: number;
  /** Of that, the main thread's, in microseconds. */
  mainThreadCpuUsPerRequest: number;
  requests: number;
  non2xx: number;
  errors: number;
}

const LOAD_CHILD = path.join(__dirname, 'load-child.ts');
let generator: ChildProcess | undefined;

/** The load generator's process, started once (it inherits this process's TypeScript loader) and ended with it. */
function loadGenerator(): ChildProcess {
  if (!generator || generator.exitCode !== null) {
    generator = fork(LOAD_CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    generator.unref();
    generator.channel?.unref();
  }
  return generator;
}

function generate(job: LoadJob): Promise<LoadReply> {
  const child = loadGenerator();
  child.channel?.ref();
  const answer = nextAnswer<LoadReply>(child, 'the load generator');
  child.send(job);
  return answer.finally(() => child.channel?.unref());
}

/**
 * Drives the server with autocannon in a process of its own (over loopback), so the server's
 * event loop is not shared with the client and the server process's CPU time is the server's
 * alone (this process's, or `serverPid`'s): whole process (user + system of every thread, what
 * /proc/<pid>/stat counts), with the main thread's (/proc/<pid>/task/<pid>/stat) beside it.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const sequence = Array.isArray(options.paths) ? options.paths : undefined;
  const single = Array.isArray(options.paths) ? options.paths[0] : options.paths;
  const job: LoadJob = {
    url: options.url,
    path: single,
    paths: sequence,
    headers: options.headers,
    headersByPath: options.headersByPath,
    connections: options.connections,
    seconds: options.seconds,
  };
  const pid = options.serverPid;
  // Another process's from /proc (in clock ticks), this process's from the kernel in microseconds.
  const wholeUs = pid === undefined ? () => totalCpuUs(process.cpuUsage()) : () => processCpuMs(pid) * 1000;
  const mainBefore = mainThreadCpuMs(pid);
  const wholeBefore = wholeUs();
  const result = await generate(job);
  const usedUs = wholeUs() - wholeBefore;
  const mainMs = mainThreadCpuMs(pid) - mainBefore;
  const seconds = result.duration > 0 ? result.duration : options.seconds;
  const perRequest = (us: number) => (result.total > 0 ? us / result.total : Number.NaN);
  return {
    reqPerSec: result.total / seconds,
    p50Ms: result.p50,
    p99Ms: result.p99,
    meanMs: result.average,
    cpuUsPerRequest: perRequest(usedUs),
    mainThreadCpuUsPerRequest: perRequest(mainMs * 1000),
    requests: result.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
