import type { Server } from 'node:http';
import type { Express } from 'express';
import { StartupError } from '../errors/app-errors';

/** What a listen error means for the person starting the server. */
function explain(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `Cannot listen on ${host}:${port}: the port is already in use (another program, or another Tenantry, listens there). Stop it, or set PORT to a free port.`;
    case 'EACCES':
      return `Cannot listen on ${host}:${port}: this user may not open that port (ports below 1024 need privileges). Set PORT to 1024 or above.`;
    case 'EADDRNOTAVAIL':
      return `Cannot listen on ${host}:${port}: ${host} is not an address of this machine. Check HOST.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot listen on ${host}:${port}: the host name ${host} does not resolve. Check HOST.`;
    default:
      return `Cannot listen on ${host}:${port}: ${error.message}`;
  }
}

/** Starts listening, and resolves only once the port is really open; any listen error rejects with a plain message. */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    const failed = (error: NodeJS.ErrnoException) => reject(new StartupError(explain(error, host, port), { code: error.code }, { cause: error }));
    server.once('error', failed);
    server.once('listening', () => {
      server.off('error', failed);
      resolve(server);
    });
  });
}
