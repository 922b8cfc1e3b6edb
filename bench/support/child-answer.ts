import type { ChildProcess } from 'node:child_process';

/** What a bench child answers when its work failed. */
export interface FailedAnswer {
  error: string;
}

/** A failure as a child sends it: its stack where there is one. */
export function failedAnswer(error: unknown): FailedAnswer {
  return { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

/**
 * The next answer of a bench child (the load generator, a server, a benchmark): rejects when the
 * answer is a failure or when the child exits first. Log lines (`{ log }`) on the way go to
 * `onLog` when one is given.
 */
export function nextAnswer<T extends object>(child: ChildProcess, name: string, onLog?: (line: string) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`${name} exited (${code}) before answering`));
    };
    const onMessage = (message: T | FailedAnswer | { log: string }) => {
      if (onLog && 'log' in message) return onLog(message.log);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if ('error' in message) reject(new Error(`${name}: ${message.error}`));
      else resolve(message as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
