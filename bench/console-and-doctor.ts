import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../app/create-app';
import { provisionDeps, provisionTenant } from '../control-plane/provisioning/provision-tenant';
import { ensureTemplate } from '../control-plane/provisioning/tenant-template';
import { loadTenantListPage } from '../control-plane/pages/tenant-list-page';
import { tenantListSchema, type TenantListFilter } from '../control-plane/tenants/tenant-list-query';
import { runDoctor } from '../control-plane/doctor/run-doctor';
import { hashPassword } from '../control-plane/auth/password-hasher';
import type { TenantRecord } from '../control-plane/tenants/tenant-record';
import type { BenchContext, BenchOutput } from './support/bench-context';
import { BENCH_PASSWORD, benchSlug, createOwner, openBenchPlatform } from './support/bench-platform';
import { makeTempDir } from './support/temp-data-dir';
import { median, timeMs } from './support/stats';
import { row, type ResultRow } from './support/result-row';
import { signIn } from './support/sign-in';

const BENCH = '9. Console and doctor';

export interface ConsoleOptions {
  /** The fleet provisioned by benchmark 3 (real folders, so the list's size column walks real files). */
  dataDir: string;
  tenants: TenantRecord[];
  /** Tenants provisioned for the doctor figures (1,000 in a full run). */
  doctorTenants: number;
  samples: number;
}

/**
 * The super admin's tenant list over the whole fleet (one page of 50: the query, the member
 * counts and the folder walks for that page), through the page loader and over HTTP; then
 * `tenantry doctor` (quick and --deep) over a fleet of its own.
 */
export async function runConsoleAndDoctor(ctx: BenchContext, options: ConsoleOptions): Promise<BenchOutput> {
  const rows: ResultRow[] = [];
  const n = options.tenants.length;
  const pages = Math.ceil(n / 50);
  const scenarios: Array<[string, Record<string, string>]> = [
    ['first page, by slug', {}],
    ['middle page, by slug', { page: String(Math.ceil(pages / 2)) }],
    ['last page, by slug', { page: String(pages) }],
    ['middle page, by name, descending', { sort: 'name', dir: 'desc', page: String(Math.ceil(pages / 2)) }],
    ['last page, status filter', { status: 'active', page: String(pages) }],
    ['search (slug or name contains)', { q: benchSlug(Math.floor(n / 2)).slice(0, -1) }],
  ];
  const details: Record<string, unknown> = { tenants: n };

  const platform = await openBenchPlatform(options.dataDir);
  let server: Server | undefined;
  try {
    await createOwner(platform, 'owner@console.bench', options.tenants);
    await platform.users.insert({ email: 'root@console.bench', name: 'Root', passwordHash: await hashPassword(BENCH_PASSWORD), isSuperAdmin: true });
    const loaderMs: Record<string, number> = {};
    for (const [label, query] of scenarios) {
      const filter: TenantListFilter = tenantListSchema.parse(query);
      loadTenantListPage(platform, filter); // warm the statement cache
      const samples: number[] = [];
      for (let i = 0; i < options.samples; i++) samples.push(await timeMs(() => loadTenantListPage(platform, filter)));
      loaderMs[label] = median(samples);
    }
    const slowest = Object.entries(loaderMs).sort((a, b) => b[1] - a[1])[0];
    rows.push(
      row(BENCH, `tenant list page over ${n.toLocaleString('en-US')} tenants, page loader, slowest case`, slowest[1], 'ms', {
        runs: options.samples,
        note: Object.entries(loaderMs)
          .map(([label, ms]) => `${label} ${ms.toFixed(2)}`)
          .join('; '),
      }),
    );
    details.loaderMs = loaderMs;

    const { app } = createApp(platform);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cookie = await signIn(baseUrl, 'root@console.bench', BENCH_PASSWORD);
    const httpMs: number[] = [];
    const path = `/admin/tenants?page=${pages}`;
    for (let i = 0; i <= options.samples; i++) {
      const ms = await timeMs(async () => {
        const res = await fetch(baseUrl + path, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
        await res.text();
      });
      if (i > 0) httpMs.push(ms);
    }
    rows.push(row(BENCH, `tenant list, last page over HTTP (signed-in super admin)`, median(httpMs), 'ms', { runs: options.samples }));
    details.httpLastPageMs = median(httpMs);
    ctx.log(`tenant list over ${n} tenants: loader slowest ${slowest[1].toFixed(2)} ms (${slowest[0]}), HTTP last page ${median(httpMs).toFixed(2)} ms`);
  } finally {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await platform.close();
  }

  const temp = makeTempDir('doctor');
  try {
    const doctorPlatform = await openBenchPlatform(temp.path);
    try {
      await ensureTemplate(temp.path, doctorPlatform.tenantSource);
      for (let i = 0; i < options.doctorTenants; i++) await provisionTenant(provisionDeps(doctorPlatform), { slug: benchSlug(i), name: `Doctor ${i}` });
      const runs = ctx.quick ? 1 : 3;
      const timed = async (deep: boolean) => {
        const seconds: number[] = [];
        for (let i = 0; i < runs; i++) {
          let checked = 0;
          const ms = await timeMs(() => runDoctor({ platform: doctorPlatform, fix: false, deep, onFileChecked: (done) => (checked = done) }));
          if (checked !== options.doctorTenants) throw new Error(`doctor checked ${checked} of ${options.doctorTenants} tenant files`);
          seconds.push(ms / 1000);
        }
        return median(seconds);
      };
      const quick = await timed(false);
      const deep = await timed(true);
      const count = options.doctorTenants.toLocaleString('en-US');
      rows.push(
        row(BENCH, `tenantry doctor over ${count} tenants (quick_check)`, quick, 's', { runs, note: `${Math.round(options.doctorTenants / quick)} tenants/s` }),
      );
      rows.push(
        row(BENCH, `tenantry doctor --deep over ${count} tenants (integrity_check)`, deep, 's', {
          runs,
          note: `${Math.round(options.doctorTenants / deep)} tenants/s`,
        }),
      );
      details.doctor = { tenants: options.doctorTenants, quickSeconds: quick, deepSeconds: deep };
      ctx.log(`doctor over ${count} tenants: ${quick.toFixed(2)} s quick, ${deep.toFixed(2)} s deep`);
    } finally {
      await doctorPlatform.close();
    }
  } finally {
    temp.remove();
  }
  return { rows, details };
}
