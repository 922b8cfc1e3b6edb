/**
 * Work the server repeats on a timer (publishing, webhook deliveries, the lifecycle sweep): a
 * pass every `intervalMs`, never two at once (a tick while one runs joins it), and a timer that
 * never keeps the process alive. `stop()` waits for the pass under way.
 */
export abstract class PeriodicPass<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  protected constructor(private readonly intervalMs: number) {}

  /** One visit of the work; subclasses say what it does. */
  protected abstract pass(): Promise<T>;

  start(): this {
    if (this.timer) return this;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  /** Stops the timer and waits for a pass in progress to finish. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass now; a pass still running is joined rather than overlapped. */
  tick(): Promise<T> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
