import net from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** A Content-Length larger than the body sent, after which the client stops writing. */
  claimedLength?: number;
}

export interface Answer {
  status: number;
  body: string;
}

/** Sends a request byte for byte (malformed escapes, cut-off bodies and odd headers go out as written). */
export function send(port: number, req: RawRequest, timeoutMs = 4000): Promise<Answer | 'hang'> {
  return new Promise((resolve) => {
    const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body);
    const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, Connection: 'close', ...req.headers };
    if (req.body !== undefined || req.claimedLength !== undefined) headers['Content-Length'] = String(req.claimedLength ?? body.length);
    const head = `${req.method.toUpperCase()} ${req.path} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (answer: Answer | 'hang') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(parse(Buffer.concat(chunks)) ?? 'hang'), timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(parse(Buffer.concat(chunks)) ?? { status: 0, body: 'connection closed without an answer' }));
    socket.write(head);
    socket.write(body, () => {
      // A body cut short: the client says it has sent all it will.
      if (req.claimedLength !== undefined) socket.end();
    });
  });
}

/** A raw HTTP/1.1 answer's status and body (chunks joined); undefined when no status line came. */
function parse(raw: Buffer): Answer | undefined {
  const text = raw.toString('latin1');
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
  if (!status) return undefined;
  const split = text.indexOf('\r\n\r\n');
  let body = split < 0 ? '' : text.slice(split + 4);
  if (/\r\ntransfer-encoding: chunked/i.test(text.slice(0, split))) {
    let rest = body;
    body = '';
    for (;;) {
      const end = rest.indexOf('\r\n');
      const size = parseInt(rest.slice(0, end), 16);
      if (!(size > 0)) break;
      body += rest.slice(end + 2, end + 2 + size);
      rest = rest.slice(end + 4 + size);
    }
  }
  return { status: Number(status[1]), body: Buffer.from(body, 'latin1').toString('utf8') };
}
