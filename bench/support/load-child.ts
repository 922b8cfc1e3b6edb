/**
 * The load generator's own process (forked by http-load.ts): autocannon runs here, so every CPU
 * cycle the bench process spends is the server's. Each message is one load run; the reply is
 * autocannon's result. The process ends with its parent (the IPC channel closes).
 */
import autocannon from 'autocannon';
import { failedAnswer } from './child-answer';

export interface LoadJob {
  url: string;
  path: string;
  /** A sequence walked in order by every connection together, or none (always `path`). */
  paths?: string[];
  headers?: Record<string, string>;
  /** Extra headers by path (a cookie per tenant, say), added to `headers` for requests to that path. */
  headersByPath?: Record<string, Record<string, string>>;
  connections: number;
  seconds: number;
}

export interface LoadReply {
  total: number;
  duration: number;
  p50: number;
  p99: number;
  average: number;
  non2xx: number;
  errors: number;
}

process.on('message', (job: LoadJob) => {
  const paths = job.paths;
  let next = 0;
  const setupRequest = (request: autocannon.Request): autocannon.Request => {
    if (paths && paths.length > 0) request.path = paths[next++ % paths.length];
    const extra = request.path === undefined ? undefined : job.headersByPath?.[request.path];
    if (extra) request.headers = { ...request.headers, ...extra };
    return request;
  };
  autocannon(
    {
      url: job.url + job.path,
      connections: job.connections,
      duration: job.seconds,
      headers: job.headers,
      ...(paths ? { requests: [{ method: 'GET', path: job.path, setupRequest }] } : {}),
    },
    (error, result) => {
      if (error) return void process.send?.(failedAnswer(error));
      const reply: LoadReply = {
        total: result.requests.total,
        duration: result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        average: result.latency.average,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      };
      process.send?.(reply);
    },
  );
});
process.on('disconnect', () => process.exit(0));
