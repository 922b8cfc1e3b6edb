import type { Platform } from '../app/create-platform';
import { DEFAULT_STEPS, provisionTenant, provisionDeps } from '../control-plane/provisioning/provision-tenant';
import type { ProvisioningStep } from '../control-plane/provisioning/provisioning-context';
import { ensureTemplate } from '../control-plane/provisioning/tenant-template';
import type { TenantRecord } from '../control-plane/tenants/tenant-record';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { benchSlug, openBenchPlatform } from './support/bench-platform';
import { makeTempDir } from './support/temp-data-dir';
import { median, percentile, spread } from './support/stats';
import { row, type ResultRow } from './support/result-row';

const BENCH = '3. Provisioning';

export interface ProvisioningOptions {
  /** Tenants per method for the per-tenant figures. */
  samples: number;
  /** The fleet: data dir and size of the batch provisioned one by one by template. */
  fleetDir: string;
  fleetSize: number;
}

export interface ProvisioningOutput extends BenchOutput {
  /** The fleet's tenants, in slug order, reused by the many-tenants and fleet-migration benchmarks. */
  fleet: TenantRecord[];
}

type StepTimes = Map<string, number[]>;

/** The pipeline's own steps, each wrapped to record its duration (the pipeline accepts a step list). */
function timedSteps(times: StepTimes): ProvisioningStep[] {
  return DEFAULT_STEPS.map((step) => ({
    name: step.name,
    async run(ctx) {
      const started = performance.now();
      await step.run(ctx);
      const list = times.get(step.name) ?? [];
      list.push(performance.now() - started);
      times.set(step.name, list);
    },
  }));
}

async function timedProvision(platform: Platform, useTemplate: boolean, slug: string, times?: StepTimes): Promise<{ ms: number; tenant: TenantRecord }> {
  const started = performance.now();
  const deps = { ...provisionDeps(platform, { useTemplate }), ...(times ? { steps: timedSteps(times) } : {}) };
  const tenant = await provisionTenant(deps, { slug, name: `Tenant ${slug}` });
  return { ms: performance.now() - started, tenant };
}

function stepMedians(times: StepTimes): Record<string, number> {
  return Object.fromEntries([...times.entries()].map(([name, list]) => [name, Math.round(median(list) * 1000) / 1000]));
}

/** Medians of three consecutive thirds of the samples (three runs of the same measurement), for the spread. */
function thirds(values: number[], of: (part: number[]) => number): number[] {
  const size = Math.ceil(values.length / 3);
  return [0, 1, 2]
    .map((i) => values.slice(i * size, (i + 1) * size))
    .filter((part) => part.length > 0)
    .map(of);
}

function describeSteps(medians: Record<string, number>): string {
  return (
    'steps: ' +
    Object.entries(medians)
      .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
      .join(', ') +
    ' ms'
  );
}

/**
 * Per-tenant time through the real pipeline (temp file, migrate, seed, rename, mark active) by
 * template copy and by running every migration, alternated in a fresh data dir; then the whole
 * fleet provisioned one by one by template.
 */
export async function runProvisioning(ctx: BenchContext, options: ProvisioningOptions): Promise<ProvisioningOutput> {
  const rows: ResultRow[] = [];
  const temp = makeTempDir('provisioning');
  const perTenant = { template: [] as number[], migrations: [] as number[] };
  const steps = { template: new Map() as StepTimes, migrations: new Map() as StepTimes };
  let templateBuildMs = 0;
  try {
    const platform = await openBenchPlatform(temp.path);
    try {
      const started = performance.now();
      await ensureTemplate(temp.path, platform.tenantSource);
      templateBuildMs = performance.now() - started;
      // One of each first (module loading, statement caches), not counted.
      await timedProvision(platform, true, 'warm-template');
      await timedProvision(platform, false, 'warm-migrations');
      for (let i = 0; i < options.samples; i++) {
        perTenant.template.push((await timedProvision(platform, true, `template-${i + 1}`, steps.template)).ms);
        perTenant.migrations.push((await timedProvision(platform, false, `migrations-${i + 1}`, steps.migrations)).ms);
      }
    } finally {
      await platform.close();
    }
  } finally {
    temp.remove();
  }
  const samples = options.samples;
  const stepsMs = { template: stepMedians(steps.template), migrations: stepMedians(steps.migrations) };
  rows.push(
    row(BENCH, 'per tenant by template copy, median', median(perTenant.template), 'ms', {
      runs: samples,
      target: { op: '<=', value: 5 },
      note: `median of each third of the samples ${spread(thirds(perTenant.template, median), 2)} ms; ${describeSteps(stepsMs.template)}`,
    }),
  );
  const p95 = (part: number[]) => percentile(part, 95);
  rows.push(
    row(BENCH, 'per tenant by template copy, p95', percentile(perTenant.template, 95), 'ms', {
      runs: samples,
      note: `p95 of each third ${spread(thirds(perTenant.template, p95), 2)} ms`,
    }),
  );
  rows.push(
    row(BENCH, 'per tenant by running migrations, median', median(perTenant.migrations), 'ms', {
      runs: samples,
      note: `median of each third of the samples ${spread(thirds(perTenant.migrations, median), 2)} ms; ${describeSteps(stepsMs.migrations)}`,
    }),
  );
  rows.push(
    row(BENCH, 'per tenant by running migrations, p95', percentile(perTenant.migrations, 95), 'ms', {
      runs: samples,
      note: `p95 of each third ${spread(thirds(perTenant.migrations, p95), 2)} ms`,
    }),
  );
  ctx.log(
    `provisioning per tenant: template ${median(perTenant.template).toFixed(2)} ms, migrations ${median(perTenant.migrations).toFixed(2)} ms (template build ${templateBuildMs.toFixed(0)} ms)`,
  );

  // The fleet, one tenant after another, the way an operator script would.
  const platform = await openBenchPlatform(options.fleetDir);
  const fleet: TenantRecord[] = [];
  const fleetMs: number[] = [];
  let totalMs = 0;
  try {
    await ensureTemplate(options.fleetDir, platform.tenantSource);
    const started = performance.now();
    for (let i = 0; i < options.fleetSize; i++) {
      const { ms, tenant } = await timedProvision(platform, true, benchSlug(i));
      fleetMs.push(ms);
      fleet.push(tenant);
      if ((i + 1) % 2000 === 0) ctx.log(`provisioned ${i + 1}/${options.fleetSize}`);
    }
    totalMs = performance.now() - started;
  } finally {
    await platform.close();
  }
  const n = options.fleetSize.toLocaleString('en-US');
  rows.push(
    row(BENCH, `total for ${n} tenants by template, one by one`, totalMs / 1000, 's', {
      runs: 1,
      note: `${Math.round(options.fleetSize / (totalMs / 1000))} tenants/s (each third of the fleet ${spread(
        thirds(fleetMs, (part) => part.length / (part.reduce((a, b) => a + b, 0) / 1000)),
        0,
      )} tenants/s); per tenant median ${median(fleetMs).toFixed(2)} ms, p95 ${percentile(fleetMs, 95).toFixed(2)} ms`,
    }),
  );
  ctx.log(`provisioned ${n} tenants in ${(totalMs / 1000).toFixed(1)} s`);
  return {
    rows,
    fleet,
    details: {
      samples,
      templateBuildMs,
      perTenantMs: {
        template: { median: median(perTenant.template), p95: percentile(perTenant.template, 95) },
        migrations: { median: median(perTenant.migrations), p95: percentile(perTenant.migrations, 95) },
      },
      stepMedianMs: stepsMs,
      fleet: {
        tenants: options.fleetSize,
        totalSeconds: totalMs / 1000,
        medianMs: median(fleetMs),
        p95Ms: percentile(fleetMs, 95),
        maxMs: Math.max(...fleetMs),
      },
    },
  };
}
