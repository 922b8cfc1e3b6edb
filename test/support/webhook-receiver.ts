import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1 (an ephemeral port): it records every request and answers
 * with the next status of `statuses` (the last one repeats), so tests can make it fail, then
 * recover. A status of 0 never answers (the request hangs until the client goes away). Bounded: it only ever serves the test that started it, over loopback.
 */
export async function startReceiver(statuses: number[] = [200]) {
  const received: Received[] = [];
  const plan = [...statuses];
  let onReceived: (count: number) => void = () => {};
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      onReceived(received.length);
      const status = plan.length > 1 ? (plan.shift() as number) : plan[0];
      if (status === 0) return;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Runs as each request arrives, before it is answered (given how many have arrived). */
    whenReceived(fn: (count: number) => void) {
      onReceived = fn;
    },
    /** The answers to come (the last one repeats). */
    answer(next: number[]) {
      plan.splice(0, plan.length, ...next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
