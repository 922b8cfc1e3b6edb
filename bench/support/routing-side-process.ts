import path from 'node:path';
import { fork } from 'node:child_process';
import type { Listening } from './http-load';
import type { RoutingSideSpec } from './routing-side-child';
import { nextAnswer } from './child-answer';

const SIDE_CHILD = path.join(__dirname, 'routing-side-child.ts');

/**
 * Serves one side of the routing benchmark from a process of its own (it inherits this process's
 * TypeScript loader); `pid` is the process whose CPU time a load run counts.
 */
export function startRoutingSide(spec: RoutingSideSpec): Promise<Listening & { pid: number }> {
  const child = fork(SIDE_CHILD, [JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return nextAnswer<{ port: number }>(child, `routing side ${spec.side}`).then(({ port }) => {
    // Listening: the side no longer keeps this process alive (it ends when this one does, its
    // channel closing), so a benchmark that fails half-way cannot leave the run waiting on it.
    child.unref();
    child.channel?.unref();
    return {
      url: `http://127.0.0.1:${port}`,
      pid: child.pid!,
      close: async () => {
        child.ref();
        if (child.connected) child.disconnect();
        await exited;
      },
    };
  });
}
