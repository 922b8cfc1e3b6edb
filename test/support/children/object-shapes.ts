import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../../../app/create-app';
import { createTestPlatform } from '../test-platform';
import { addMember, makeTenant, makeUser, TEST_PASSWORD } from '../factories';
import { postForm } from '../http-agent';

/**
 * Run with `--allow-natives-syntax`: reports whether the requests and responses the app's own
 * server makes keep V8's fast properties (an object V8 turned into a dictionary answers every
 * property access with a hash look-up), once each request is finished, and the same for a
 * response made the way that loses them (a constructor of its own calling node's on `this`),
 * which shows the check tells the two apart.
 */
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;

interface Shape {
  path: string;
  status: number;
  request: boolean;
  response: boolean;
}

function listen(server: http.Server): Promise<http.Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function appShapes(): Promise<Shape[]> {
  const t = await createTestPlatform();
  try {
    const tenant = await makeTenant(t.platform, 'acme');
    const user = await makeUser(t.platform, { email: 'shape@example.com' });
    await addMember(t.platform, user, tenant);
    const app = createApp(t.platform).app;
    const server = await new Promise<http.Server>((resolve) => {
      const listening: http.Server = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const shapes: Shape[] = [];
    server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) =>
      res.once('finish', () =>
        shapes.push({
          path: (req as { originalUrl?: string }).originalUrl ?? '',
          status: res.statusCode,
          request: hasFastProperties(req),
          response: hasFastProperties(res),
        }),
      ),
    );
    try {
      const agent = request.agent(server);
      await postForm(agent, '/login', { email: 'shape@example.com', password: TEST_PASSWORD }, '/login');
      for (let i = 0; i < 3; i++) {
        await agent.get('/t/acme');
        await agent.get('/t/acme/api/items/1');
      }
      return shapes;
    } finally {
      server.close();
    }
  } finally {
    await t.cleanup();
  }
}

async function dictionaryShape(): Promise<boolean> {
  function OwnResponse(this: http.ServerResponse, req: http.IncomingMessage): void {
    (http.ServerResponse as unknown as (this: http.ServerResponse, r: http.IncomingMessage) => void).call(this, req);
  }
  OwnResponse.prototype = Object.create(http.ServerResponse.prototype) as object;
  let fast = true;
  const server = await listen(
    http.createServer({ ServerResponse: OwnResponse as unknown as typeof http.ServerResponse }, (_req, res) => {
      fast = hasFastProperties(res);
      res.end('ok');
    }),
  );
  try {
    const { port } = server.address() as AddressInfo;
    await (await fetch(`http://127.0.0.1:${port}/`)).text();
    return fast;
  } finally {
    server.close();
  }
}

async function main(): Promise<void> {
  const app = await appShapes();
  const ownConstructor = await dictionaryShape();
  process.stdout.write(JSON.stringify({ app, ownConstructor }));
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error));
  process.exit(1);
});
