import type { ServerResponse } from 'node:http';

/**
 * Writes the chunks to the response as they come, then ends it. When the response's buffer is
 * full it waits until it drains or the client goes away (then it stops taking chunks, so the
 * rows behind them are not read), and takes its listeners off again: a download of many
 * batches leaves no 'drain' or 'close' listener per batch behind.
 */
export async function sendChunks(res: ServerResponse, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end();
}

/** Resolves once the response drains or closes, whichever comes first, with both listeners removed. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
