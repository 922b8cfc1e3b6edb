import type { Server } from 'node:http';

/**
 * How long a stopping server lets the requests under way finish before it cuts their
 * connections: under the 10 s a container runtime or a supervisor commonly gives a process
 * between SIGTERM and SIGKILL, with room left for the rest of the shutdown.
 */
export const SHUTDOWN_GRACE_MS = 5000;

/**
 * Stops accepting connections and resolves once every connection is gone: idle keep-alive ones
 * at once, requests under way when they finish, and whatever is still open after `graceMs` (a
 * client that stopped sending its upload or reading a download) cut then, so one stalled client
 * never holds a shutdown for the minutes of Node's request timeout, or forever for a download.
 */
export function closeServer(server: Server, graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    // Keep-alive connections would hold close() open; they are idle between requests, and one
    // whose request finishes meanwhile is idle from then on.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    deadline.unref();
    idle.unref();
    server.close(() => {
      clearTimeout(deadline);
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}
