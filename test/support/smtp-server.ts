import net from 'node:net';

/**
 * A small SMTP server on 127.0.0.1 that accepts every message, except that each RCPT TO is
 * answered by `replyTo(address)` when it gives a reply (e.g. "550 5.1.1 <ann@example.com>: user
 * unknown"). `accepted` lists the recipients of the messages it took, `connections()` how many
 * connections it was sent.
 */
export async function startSmtpServer(replyTo: (address: string) => string | undefined = () => undefined) {
  const accepted: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let recipients: string[] = [];
    let inData = false;
    let buffered = '';
    const say = (line: string) => socket.write(`${line}\r\n`);
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            accepted.push(...recipients);
            say('250 2.0.0 queued');
          }
          continue;
        }
        const command = line.slice(0, 4).toUpperCase();
        if (command === 'EHLO' || command === 'HELO') say('250 mail.example.com');
        else if (command === 'MAIL') {
          recipients = [];
          say('250 2.1.0 ok');
        } else if (command === 'RCPT') {
          const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
          const reply = replyTo(address);
          if (reply) say(reply);
          else {
            recipients.push(address);
            say('250 2.1.5 ok');
          }
        } else if (command === 'DATA') {
          inData = true;
          say('354 go ahead');
        } else if (command === 'QUIT') {
          say('221 bye');
          socket.end();
        } else if (command === 'RSET' || command === 'NOOP') say('250 ok');
        else say('502 5.5.2 not implemented');
      }
    });
    say('220 mail.example.com ready');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    accepted,
    connections: () => connections,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
