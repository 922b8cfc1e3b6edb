import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { isPublicAddress } from '../../../core/net/outbound-address';
import { OutboundRefused, postTo, resolveOutbound } from '../../../core/net/outbound-request';
import { startReceiver } from '../../support/webhook-receiver';

const STRICT = { allowPrivate: false };
const resolvingTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('outbound addresses', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:a00:1::1',
    'not-an-address',
  ])('refuses %s as not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('accepts %s as public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('resolving a webhook URL before a request', () => {
  it.each([
    ['ftp://example.com/hook', /http/],
    ['javascript:alert(1)', /http/],
    ['http://user:pw@example.com/hook', /user name or password/],
    ['not a url', /not a URL/],
    ['http://127.0.0.1:8080/hook', /127\.0\.0\.1/],
    ['http://[::1]/hook', /::1/],
    ['http://[::ffff:127.0.0.1]/hook', /private, loopback or reserved/],
    ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254/],
    ['http://10.0.0.7/hook', /10\.0\.0\.7/],
    ['http://2130706433/hook', /127\.0\.0\.1/],
    ['http://0x7f.1/hook', /127\.0\.0\.1/],
  ])('refuses %s', async (url, reason) => {
    await expect(resolveOutbound(url, { ...STRICT, resolve: resolvingTo('93.184.215.14') })).rejects.toThrow(reason);
  });

  it('refuses a name that resolves to a private address, or to a public and a private one', async () => {
    await expect(resolveOutbound('https://hooks.example.com/x', { ...STRICT, resolve: resolvingTo('192.168.0.10') })).rejects.toThrow(OutboundRefused);
    await expect(resolveOutbound('https://hooks.example.com/x', { ...STRICT, resolve: resolvingTo('93.184.215.14', '127.0.0.1') })).rejects.toThrow(
      /127\.0\.0\.1/,
    );
  });

  it('connects to the address it checked: a second, different answer of the name is never asked for', async () => {
    const answers = [['93.184.215.14'], ['127.0.0.1']];
    const resolve = jest.fn(async () => (answers.shift() ?? []).map((address) => ({ address, family: 4 })));
    const target = await resolveOutbound('https://hooks.example.com/x', { ...STRICT, resolve });
    expect(target).toMatchObject({ host: 'hooks.example.com', address: '93.184.215.14' });
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it("sends to that address under the URL's own host name (the name is not looked up again)", async () => {
    const receiver = await startReceiver([204]);
    try {
      const port = new URL(receiver.url).port;
      // hooks.example.test exists in no DNS: only the checked address can be reached.
      const target = await resolveOutbound(`http://hooks.example.test:${port}/hooks`, { allowPrivate: true, resolve: resolvingTo('127.0.0.1') });
      const answer = await postTo(target, { 'x-test': '1' }, '{"ok":true}', 5000);
      expect(answer.status).toBe(204);
      expect(receiver.received[0]).toMatchObject({
        body: '{"ok":true}',
        headers: expect.objectContaining({ host: `hooks.example.test:${port}`, 'x-test': '1' }),
      });
    } finally {
      await receiver.close();
    }
  });

  it('allows private addresses only when the deployment says so (WEBHOOKS_ALLOW_PRIVATE=1)', async () => {
    await expect(resolveOutbound('http://127.0.0.1:9/hook', { allowPrivate: true })).resolves.toMatchObject({ address: '127.0.0.1' });
  });

  it('refuses a host that does not resolve', async () => {
    await expect(resolveOutbound('https://nowhere.invalid/x', { ...STRICT, resolve: async () => Promise.reject(new Error('ENOTFOUND')) })).rejects.toThrow(
      /does not resolve/,
    );
  });

  describe('a receiver that answers a little at a time', () => {
    let server: net.Server;
    let stop: () => Promise<void>;

    async function listen(made: net.Server) {
      server = made;
      const open = new Set<net.Socket>();
      server.on('connection', (socket) => {
        open.add(socket);
        socket.on('close', () => open.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      stop = () =>
        new Promise<void>((resolve) => {
          for (const socket of open) socket.destroy();
          server.close(() => resolve());
        });
      return resolveOutbound(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, { allowPrivate: true });
    }
    afterEach(() => stop());

    it('is cut off at the time-out while its headers come a line every 100 ms', async () => {
      const target = await listen(
        net.createServer((socket) => {
          socket.once('data', () => {
            socket.write('HTTP/1.1 200 OK\r\n');
            const drip = setInterval(() => socket.write('x-wait: 1\r\n'), 100);
            socket.on('close', () => clearInterval(drip));
          });
        }),
      );
      const started = Date.now();
      await expect(postTo(target, {}, '{}', 500)).rejects.toThrow(/no answer within/);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('is cut off at the time-out while its body comes a byte every 100 ms, its status taken as the answer', async () => {
      const target = await listen(
        http.createServer((req, res) => {
          req.resume();
          req.on('end', () => {
            res.writeHead(200, { 'content-type': 'text/plain' });
            const drip = setInterval(() => res.write('x'), 100);
            res.on('close', () => clearInterval(drip));
          });
        }),
      );
      const started = Date.now();
      await expect(postTo(target, {}, '{}', 500)).resolves.toMatchObject({ status: 200 });
      expect(Date.now() - started).toBeLessThan(3000);
    });
  });
});
