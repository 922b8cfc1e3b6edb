import http from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

/**
 * The app's server (`app.listen`, which the server and the benchmarks use) makes each request and
 * response with the app's prototypes from the start (docs/decisions/037), so switching them on
 * entry (express's, the front door's) is a no-op and no request or response changes its
 * prototype after it was made. A server made elsewhere (`http.createServer(app)`, supertest)
 * still gets them switched on entry.
 */
export function serveWithAppPrototypes(app: Express): void {
  function AppRequest(this: http.IncomingMessage, socket: Socket): void {
    http.IncomingMessage.call(this, socket);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: http.ServerResponse, req: http.IncomingMessage, options?: unknown): void {
    (http.ServerResponse as unknown as (this: http.ServerResponse, req: http.IncomingMessage, options?: unknown) => void).call(this, req, options);
  }
  AppResponse.prototype = app.response;
  // Node's constructors are their parents, as `class ... extends` would make them: V8 sizes a new
  // object by the properties its constructor and the constructors it inherits from assign. Without
  // this a response, with ~40 fields, got room for a handful and was kept as a dictionary (every
  // property access a hash look-up: docs/decisions/044).
  Object.setPrototypeOf(AppRequest, http.IncomingMessage);
  Object.setPrototypeOf(AppResponse, http.ServerResponse);
  const classes = {
    IncomingMessage: AppRequest as unknown as typeof http.IncomingMessage,
    ServerResponse: AppResponse as unknown as typeof http.ServerResponse,
  };
  // As express's own listen: the last argument, a callback, is also told of a listen error.
  (app as { listen: (...args: unknown[]) => http.Server }).listen = function (...args: unknown[]): http.Server {
    const server = http.createServer(classes, app);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      let called = false;
      const once = (...a: unknown[]) => {
        if (called) return;
        called = true;
        (last as (...b: unknown[]) => void)(...a);
      };
      args[args.length - 1] = once;
      server.once('error', once);
    }
    return server.listen(...(args as Parameters<http.Server['listen']>));
  };
}
