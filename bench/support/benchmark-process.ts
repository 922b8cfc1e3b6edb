import path from 'node:path';
import { fork } from 'node:child_process';
import type { BenchContext, BenchOutput } from './bench-context';
import type { BenchMember } from './bench-platform';
import type { ManyTenantsOptions } from '../many-tenants';
import { nextAnswer } from './child-answer';

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
  const answer = nextAnswer<{ output: BenchOutput }>(child, `benchmark ${job.kind}`, (line) => ctx.log(line));
  child.send({ settings, job });
  return answer.then(({ output }) => output);
}
