import type { BenchContext } from './bench-context';
import { runLoad, type LoadResult } from './http-load';

/** One side of an HTTP comparison: a server, the path it is asked for and the headers sent. */
export interface LoadVariant<K extends string> {
  key: K;
  url: string;
  path: string;
  headers?: Record<string, string>;
  /** The server's process, when it runs in one of its own. */
  serverPid?: number;
}

/**
 * Drives every variant with the same load: one warm-up of each before any measured run (they
 * share most of their code, so the first one measured does not pay alone for compiling what the
 * others then reuse), then `ctx.loadRuns` rounds, the variants back to back in each round with a
 * warm-up before each run, so drift over the run (thermal, page cache, GC) hits every variant
 * alike. Each run is logged as `<name> <key> run <n>: ...`.
 *
 * `rounds` and `seconds` override the context's runs and run length (more, shorter rounds for a
 * row whose difference is smaller than a long run's drift); with `alternate`, every other round
 * runs the variants in reverse order (A B, B A, ...), so that a drift within a round favours
 * neither side.
 */
export async function interleavedLoads<K extends string>(
  ctx: BenchContext,
  name: string,
  variants: ReadonlyArray<LoadVariant<K>>,
  options: { rounds?: number; seconds?: number; alternate?: boolean } = {},
): Promise<Record<K, LoadResult[]>> {
  const loadOf = (v: LoadVariant<K>) => ({ url: v.url, paths: v.path, headers: v.headers, connections: ctx.connections, serverPid: v.serverPid });
  for (const v of variants) if (ctx.warmupSeconds > 0) await runLoad({ ...loadOf(v), seconds: ctx.warmupSeconds * 2 });
  const results = Object.fromEntries(variants.map((v) => [v.key, [] as LoadResult[]])) as Record<K, LoadResult[]>;
  const rounds = options.rounds ?? ctx.loadRuns;
  for (let run = 0; run < rounds; run++) {
    const order = options.alternate && run % 2 === 1 ? [...variants].reverse() : variants;
    for (const v of order) {
      if (ctx.warmupSeconds > 0) await runLoad({ ...loadOf(v), seconds: ctx.warmupSeconds });
      const result = await runLoad({ ...loadOf(v), seconds: options.seconds ?? ctx.loadSeconds });
      results[v.key].push(result);
      ctx.log(
        `${name} ${v.key} run ${run + 1}: ${Math.round(result.reqPerSec)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, CPU ${Math.round(result.cpuUsPerRequest)} us/req (main thread ${Math.round(result.mainThreadCpuUsPerRequest)}), non-2xx ${result.non2xx}`,
      );
    }
  }
  return results;
}

/**
 * Fails the benchmark unless every request of every run was answered 2xx: a row measured on
 * refusals (a rate limit, a gate) would compare other work, so it is not a result.
 */
export function expectAllAnswered<K extends string>(name: string, results: Record<K, LoadResult[]>): void {
  for (const [key, list] of Object.entries(results) as Array<[K, LoadResult[]]>) {
    const bad = list.reduce((n, r) => n + r.non2xx + r.errors, 0);
    if (bad) throw new Error(`${name} ${key}: ${bad} requests answered other than 2xx; the row would not measure the read it names`);
  }
}
