import { Worker, parentPort } from 'node:worker_threads';

type Reply<Res> = { ready: true } | { id: number; ok: true; result: Res } | { id: number; ok: false; error: string; code?: string };

/**
 * One worker thread that runs jobs one at a time, so long synchronous file work (SQLite copies,
 * checksums) leaves the caller's event loop free (a server keeps answering requests). The entry
 * file calls serveJobs(). A worker that dies fails the job it held; the next job starts a new one.
 */
export class JobWorker<Req, Res> {
  private worker?: Worker;
  private ready?: Promise<void>;
  private pending?: { id: number; resolve: (r: Res) => void; reject: (e: Error) => void };
  private nextId = 1;

  constructor(
    private readonly entry: string,
    private readonly workerData?: unknown,
  ) {}

  start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(this.entry, { workerData: this.workerData });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: Reply<Res>) => {
        if ('ready' in reply) return resolve();
        const pending = this.pending;
        if (!pending || pending.id !== reply.id) return;
        this.pending = undefined;
        if (reply.ok) pending.resolve(reply.result);
        else pending.reject(Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {}));
      });
      const stopped = (error: Error) => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.ready = undefined;
        reject(error);
        this.pending?.reject(error);
        this.pending = undefined;
      };
      worker.on('error', (error) => stopped(new Error(`worker failed: ${error.message}`)));
      worker.on('exit', (code) => stopped(new Error(`worker stopped (exit code ${code})`)));
    });
    return this.ready;
  }

  async run(request: Req): Promise<Res> {
    await this.start();
    const worker = this.worker;
    if (!worker) throw new Error('worker stopped');
    if (this.pending) throw new Error('a worker runs one job at a time');
    const id = this.nextId++;
    return new Promise<Res>((resolve, reject) => {
      this.pending = { id, resolve, reject };
      worker.postMessage({ id, request });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) await worker.terminate();
  }
}

/** In a worker thread: answers each job with the handler's result (or its error's message and code). */
export function serveJobs<Req, Res>(handler: (request: Req) => Res | Promise<Res>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs runs only in a worker thread');
  port.on('message', ({ id, request }: { id: number; request: Req }) => {
    Promise.resolve()
      .then(() => handler(request))
      .then(
        (result) => port.postMessage({ id, ok: true, result } satisfies Reply<Res>),
        (error: unknown) => {
          const code = (error as { code?: unknown })?.code;
          port.postMessage({
            id,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
            ...(typeof code === 'string' ? { code } : {}),
          } satisfies Reply<Res>);
        },
      );
  });
  port.postMessage({ ready: true } satisfies Reply<Res>);
}
