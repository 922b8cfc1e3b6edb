import type { Logger } from '../logging/logger';

/**
 * Work a request starts but does not wait for (a password reset mail is prepared and sent after
 * the answer, so the answer takes as long whether the address exists or not). A failure is
 * logged, never thrown at the client; `idle()` resolves once everything started has settled (tests,
 * shutdown).
 */
export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Runs fn on a later turn of the event loop, after the current response is on its way. */
  run(name: string, fn: () => Promise<unknown> | unknown): void {
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(fn)
      .then(
        () => undefined,
        (err: unknown) => this.logger.error({ err, task: name }, 'background task failed'),
      )
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
