import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { machineInfo } from './support/machine-info';
import { markdownTable } from './support/markdown-table';
import { formatNumber, formatTarget, type ResultRow } from './support/result-row';
import { makeTempDir } from './support/temp-data-dir';
import { runQueryLayer } from './query-layer';
import { runRoutingCost } from './routing-cost';
import { runProvisioning } from './provisioning';
import { runManyTenants } from './many-tenants';
import { runFleetMigration } from './fleet-migration';
import { runSharedDatabase } from './shared-database';
import { runConsoleAndDoctor } from './console-and-doctor';
import { runFleetOperations } from './fleet-operations';
import { runRouterMiss } from './router-miss';
import { runUsageRollup } from './usage-rollup';
import { inOwnProcess } from './support/benchmark-process';
import { DEFAULT_TENANT_CACHE_SIZE as DEFAULT_CAP } from '../core/config/config-schema';

const USAGE = `Usage: npm run bench -- [--quick] [--only=1,2,...] [--tenants=N] [--cap=N,...] [--out=FILE]

  --quick       small sizes and short load runs (about a minute); CI runs this
  --only=LIST   benchmarks to run, by number: 1 routing cost, 2 many tenants,
                3 provisioning, 4 fleet migration, 5 shared database, 6 query layer,
                7 fleet operations (backup, restore, export and import), 8 API token read,
                9 console and doctor, 10 router miss (micro-benchmark of one lease that opens a file),
                11 usage roll-up (a fleet of its own, copied from the template; 100 changed),
                12 pages (an item's page and the items list, rendered for a signed-in member)
                (2, 4 and 9 reuse the fleet provisioned by 3, so 3 runs with them)
  --tenants=N   fleet size for 2, 3, 4, 9 and 11 (default 10000; quick 200, 11: 1000)
  --cap=N,...   tenant handle caps (TENANT_CACHE_SIZE) for 2, each measured over the same fleet
                (default: the product's default; quick 32)
  --out=FILE    where to write the JSON results
                (default bench/results/latest.json; quick: bench/results/latest-quick.json)`;

interface Args {
  quick: boolean;
  only: Set<number>;
  tenants?: number;
  caps?: number[];
  out?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) };
  for (const arg of argv) {
    const [name, value] = arg.split('=', 2);
    if (name === '--quick') args.quick = true;
    else if (name === '--only' && value) args.only = new Set(value.split(',').map(Number));
    else if (name === '--tenants' && Number(value) >= 10) args.tenants = Math.floor(Number(value));
    else if (name === '--cap' && value && value.split(',').every((c) => Number(c) >= 1)) args.caps = value.split(',').map((c) => Math.floor(Number(c)));
    else if (name === '--out' && value) args.out = path.resolve(value);
    else {
      console.error(arg === '--help' || arg === '-h' ? USAGE : `Unknown argument ${arg}\n\n${USAGE}`);
      process.exit(arg === '--help' || arg === '-h' ? 0 : 2);
    }
  }
  if ([...args.only].some((n) => !(n >= 1 && n <= 12))) {
    console.error(`--only takes numbers 1-12\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.only.has(2) || args.only.has(4) || args.only.has(9)) args.only.add(3);
  return args;
}

/** Every size in one place: full mode fits in about 10 minutes on 2 cores, quick in about one. */
function sizes(args: Args) {
  const quick = args.quick;
  const fleet = args.tenants ?? (quick ? 200 : 10_000);
  return {
    fleet,
    caps: args.caps ?? [quick ? 32 : DEFAULT_CAP],
    provisioningSamples: quick ? 20 : 100,
    fleetSizes: [...new Set(quick ? [Math.min(100, fleet), fleet] : [Math.min(1000, fleet), fleet])],
    // Three runs of every size, so each row has a spread (the 10,000-tenant passes swung +-50% run alone).
    fleetRunsFor: () => (quick ? 1 : 3),
    sequenceLength: quick ? 20_000 : 200_000,
    shared: quick ? { tenants: 100, itemsPerTenant: 200 } : { tenants: 1000, itemsPerTenant: 1000 },
    doctorTenants: quick ? 100 : 1000,
    consoleSamples: quick ? 5 : 30,
    usageRollup: { tenants: args.tenants ?? (quick ? 1000 : 10_000), changed: quick ? 10 : 100 },
    fleetOperations: quick
      ? { tenants: 100, itemsPerTenant: 20, filesPerTenant: 2, restores: 5, transfers: 5, transferItems: 200, sharedTenants: 20 }
      : { tenants: 1000, itemsPerTenant: 100, filesPerTenant: 2, restores: 25, transfers: 15, transferItems: 1000, sharedTenants: 100 },
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const size = sizes(args);
  const startedAt = new Date();
  const t0 = performance.now();
  const elapsed = () => ((performance.now() - t0) / 1000).toFixed(1).padStart(6);
  const ctx: BenchContext = {
    quick: args.quick,
    runs: 3,
    loadRuns: args.quick ? 1 : 3,
    loadSeconds: args.quick ? 2 : 6,
    warmupSeconds: args.quick ? 0.5 : 1,
    connections: 10,
    log: (message) => console.error(`[${elapsed()} s] ${message}`),
  };
  const machine = machineInfo();
  // Other work on the machine skews throughput; the load average is recorded with the results.
  const loadAverageAtStart = os.loadavg();
  ctx.log(
    `tenantry bench, ${args.quick ? 'quick' : 'full'} mode: ${machine.cores} cores (${machine.cpuModel}), node ${machine.nodeVersion}; data in ${machine.dataFileSystem}`,
  );

  const outputs = new Map<number, BenchOutput>();
  const seconds: Record<string, number> = {};
  const step = async (n: number, name: string, fn: () => Promise<BenchOutput>) => {
    if (!args.only.has(n)) return;
    ctx.log(`${n}. ${name}...`);
    const started = performance.now();
    outputs.set(n, await fn());
    seconds[name] = (performance.now() - started) / 1000;
  };

  await step(6, 'query layer', () => runQueryLayer(ctx));
  await step(10, 'router miss', () => runRouterMiss(ctx));
  await step(1, 'routing cost', () => runRoutingCost(ctx));
  // The HTTP benchmarks each serve from a process of their own (1 and each cap of 2 too), as a
  // deployment serves one app: support/benchmark-child.ts.
  await step(8, 'API token read', () => inOwnProcess(ctx, { kind: 'api-token-read' }));
  await step(12, 'pages', () => inOwnProcess(ctx, { kind: 'pages' }));
  // 3, 2, 9 and 4 share one fleet: provisioned by 3, read by 2 and 9, migrated by 4 (last: it moves the schema on).
  const fleetDir = makeTempDir('fleet');
  try {
    let fleet: Awaited<ReturnType<typeof runProvisioning>>['fleet'] = [];
    await step(3, 'provisioning', async () => {
      const output = await runProvisioning(ctx, { samples: size.provisioningSamples, fleetDir: fleetDir.path, fleetSize: size.fleet });
      fleet = output.fleet;
      return output;
    });
    await step(2, 'many tenants', () => {
      const options = { dataDir: fleetDir.path, tenants: fleet, caps: size.caps, sequenceLength: size.sequenceLength };
      // Each cap in a process of its own: a later cap's server would otherwise pay for the object
      // shapes of the earlier caps' apps.
      return runManyTenants(ctx, options, (cap, members) => inOwnProcess(ctx, { kind: 'many-tenants-at-cap', options, cap, members }));
    });
    await step(9, 'console and doctor', () =>
      runConsoleAndDoctor(ctx, { dataDir: fleetDir.path, tenants: fleet, doctorTenants: size.doctorTenants, samples: size.consoleSamples }),
    );
    await step(4, 'fleet migration', () =>
      runFleetMigration(ctx, { dataDir: fleetDir.path, tenants: fleet, sizes: size.fleetSizes, runsFor: size.fleetRunsFor }),
    );
  } finally {
    fleetDir.remove();
  }
  await step(5, 'shared database', () => runSharedDatabase(ctx, size.shared));
  await step(7, 'fleet operations', () => runFleetOperations(ctx, size.fleetOperations));
  await step(11, 'usage roll-up', () => runUsageRollup(ctx, size.usageRollup));

  const rows: ResultRow[] = [...outputs.entries()].sort(([a], [b]) => a - b).flatMap(([, output]) => output.rows);
  const table = markdownTable(
    ['Benchmark', 'Measure', 'Value', 'Target', 'Result', 'Runs', 'Notes'],
    rows.map((r) => [
      r.bench,
      r.measure,
      formatNumber(r.value, r.unit),
      formatTarget(r.target, r.unit),
      r.pass === undefined ? '' : r.pass ? 'pass' : 'MISS',
      String(r.runs),
      r.note ?? '',
    ]),
  );
  const totalSeconds = (performance.now() - t0) / 1000;
  const missed = rows.filter((r) => r.pass === false);
  const summary = `${rows.filter((r) => r.pass !== undefined).length - missed.length} of ${rows.filter((r) => r.pass !== undefined).length} targets met; ${args.quick ? 'quick' : 'full'} run in ${totalSeconds.toFixed(0)} s on ${machine.cores} cores (${machine.cpuModel}), Node ${machine.nodeVersion}; data in ${machine.dataFileSystem}.`;
  console.log(`${table}\n\n${summary}`);

  const out = args.out ?? path.join(__dirname, 'results', args.quick ? 'latest-quick.json' : 'latest.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const json = {
    mode: args.quick ? 'quick' : 'full',
    startedAt: startedAt.toISOString(),
    totalSeconds,
    machine: { ...machine, loadAverage: { start: loadAverageAtStart, end: os.loadavg() } },
    settings: { ...size, fleetRunsFor: undefined, ...ctx, log: undefined },
    secondsPerBenchmark: seconds,
    rows,
    details: Object.fromEntries([...outputs.entries()].map(([n, output]) => [n, output.details])),
  };
  fs.writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
  ctx.log(`results written to ${path.relative(process.cwd(), out)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
