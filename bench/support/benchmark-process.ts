import path from 'node:path';
import { fork } from 'node:child_process';
import type { BenchContext, BenchOutput } from './bench-context';
import type { BenchMember } from './bench-platform';
import type { ManyTenantsOptions } from '../many-tenants';

/** What `inOwnProcess` can run: an HTTP benchmark, or one cap of benchmark 2. */
export type BenchJob =
  { kind: 'api-token-read' } | { kind: 'pages' } | { kind: 'many-tenants-at-cap'; options: ManyTenantsOptions; cap: number; members: BenchMember[] };

const CHILD = path.join(__dirname, 'benchmark-child.ts');

/**
 * Runs `job` in a process of its own (support/benchmark-child.ts; it inherits this process's
 * TypeScript loader), its log lines through `ctx.log`, and returns its output.
 */
export function inOwnProcess(ctx: BenchContext, job: BenchJob): Promise<BenchOutput> {
  const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { quick, runs, loadRuns, loadSeconds, warmupSeconds, connections } = ctx;
  const settings: Omit<BenchContext, 'log'> = { quick, runs, loadRuns, loadSeconds, warmupSeconds, connections };
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on('message', (message: { log: string } | { output: BenchOutput } | { error: string }) => {
      if ('log' in message) return ctx.log(message.log);
      settled = true;
      if ('output' in message) resolve(message.output);
      else reject(new Error(`${job.kind}: ${message.error}`));
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`${job.kind}: its process exited (${code}) before answering`));
    });
    child.send({ settings, job });
  });
}
