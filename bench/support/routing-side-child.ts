/**
 * One side of the routing benchmark (bench/routing-cost.ts) served in a process of its own, as a
 * deployment serves one app: each side's code is compiled for its own objects only. (In one
 * process, the eight apps' requests and responses, each app with prototypes of its own, met in
 * node's and express's shared functions, and every side paid for the others' shapes.)
 * Forked by `startRoutingSide` with its spec as the one argument; it answers `{ port }` on its
 * IPC channel once listening, and ends when the channel closes.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Platform } from '../../app/create-platform';
import { helmetOptions, securityHeaders } from '../../core/http/security-headers';
import { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { benchApp, openBenchPlatform } from './bench-platform';
import { failedAnswer } from './child-answer';
import { bareItemApp, hardWiredTenantApp, noAuthItemApp, rawItemReader, withAppPrototypes, withoutPlans } from './routing-sides';

export type RoutingSide = 'full' | 'handle' | 'handleNoAuth' | 'bare' | 'bareBody' | 'stock' | 'planOn' | 'planOff';

export interface RoutingSideSpec {
  side: RoutingSide;
  dataDir: string;
  slug: string;
  userId: string;
  apiRateLimit: number;
}

/** The app of one side on the bench platform (its connections end with the process). */
function sideApp(spec: RoutingSideSpec, platform: Platform): Express {
  const tenant = platform.tenants.findBySlug(spec.slug);
  if (!tenant) throw new Error(`no bench tenant ${spec.slug}`);
  const file = tenantPaths(spec.dataDir, tenant.id).database;
  const sameHeaders = securityHeaders(helmetOptions(platform.config.secureCookies));
  switch (spec.side) {
    case 'full':
    case 'planOn':
      return benchApp(platform);
    case 'planOff':
      return benchApp(withoutPlans(platform));
    case 'handle':
      return hardWiredTenantApp(platform, tenant, spec.userId, new TenantDatabase(tenant.id, file));
    case 'handleNoAuth':
      return noAuthItemApp(new TenantDatabase(tenant.id, file));
    case 'bare':
      return withAppPrototypes(bareItemApp(rawItemReader(file), sameHeaders));
    case 'bareBody':
      return withAppPrototypes(bareItemApp(rawItemReader(file)));
    case 'stock':
      return bareItemApp(rawItemReader(file), sameHeaders);
  }
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as RoutingSideSpec;
  const platform = await openBenchPlatform(spec.dataDir, { apiRateLimit: spec.apiRateLimit });
  const app = sideApp(spec, platform);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  process.once('disconnect', () => {
    server.closeAllConnections();
    server.close();
    platform.close();
    process.exit(0);
  });
  process.send?.({ port: (server.address() as AddressInfo).port });
}

main().catch((error: unknown) => {
  process.send?.(failedAnswer(error));
  process.exit(1);
});
