/**
 * Runs one HTTP benchmark (or one cap of benchmark 2) in a process of its own, so that its server
 * is the only app whose requests and responses the process has seen, as in a deployment: in one
 * process, every app made before it (each with request and response prototypes of its own) had
 * left node's and express's shared functions compiled for several kinds of object, and whichever
 * benchmark ran later paid for them (docs/decisions/044). Forked by `inOwnProcess`; it gets its
 * job as one IPC message, sends its log lines and then its output, and ends.
 */
import type { BenchContext, BenchOutput } from './bench-context';
import type { BenchJob } from './benchmark-process';
import { runApiTokenRead } from '../api-token-read';
import { runPages } from '../pages';
import { runManyTenantsAtCap } from '../many-tenants';
import { failedAnswer } from './child-answer';

function run(ctx: BenchContext, job: BenchJob): Promise<BenchOutput> {
  switch (job.kind) {
    case 'api-token-read':
      return runApiTokenRead(ctx);
    case 'pages':
      return runPages(ctx);
    case 'many-tenants-at-cap':
      return runManyTenantsAtCap(ctx, job.options, job.cap, job.members);
  }
}

process.once('message', (message: { settings: Omit<BenchContext, 'log'>; job: BenchJob }) => {
  const ctx: BenchContext = { ...message.settings, log: (line) => process.send?.({ log: line }) };
  run(ctx, message.job).then(
    (output) => process.send?.({ output }, () => process.exit(0)),
    (error: unknown) => process.send?.(failedAnswer(error), () => process.exit(1)),
  );
});
