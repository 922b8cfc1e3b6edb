import http from 'node:http';
import net from 'node:net';
import { closeServer } from '../../../core/http/close-server';

describe('closeServer', () => {
  let server: http.Server;
  let port: number;
  beforeEach(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('done'), 300);
      else req.on('end', () => res.end('ok')).resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterEach(() => server.closeAllConnections());

  it('lets a request under way finish before it resolves', async () => {
    const arrived = new Promise((resolve) => server.once('request', resolve));
    const answer = fetch(`http://127.0.0.1:${port}/slow`).then((res) => res.text());
    // Under way once the server has the request (a connection whose request has not come yet is idle).
    await arrived;

    await closeServer(server, 5000);

    await expect(answer).resolves.toBe('done');
  });

  it('cuts off a client that stopped sending its request once the grace period is over', async () => {
    const stalled = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => stalled.once('connect', resolve));
    stalled.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc');
    const cut = new Promise((resolve) => stalled.once('close', resolve));
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();

    await closeServer(server, 200);

    expect(Date.now() - started).toBeLessThan(2000);
    await cut;
  });
});
