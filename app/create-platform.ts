import type { Config } from '../core/config/load-config';
import { openControlPlane, type ControlPlane, type ControlPlaneOptions } from '../control-plane/control-plane';
import { forwardTenantEvents } from './webhook-wiring';

/**
 * The platform a server, a CLI command or a test runs on. The control plane holds everything
 * the workspace needs too (router, audit sink, schedule hints, tenant look-ups), so it serves
 * both sides; each side declares the narrow interface it uses (control-plane/control-plane.ts,
 * workspace/workspace-services.ts) and this is where they meet.
 */
export type Platform = ControlPlane;
export type PlatformOptions = ControlPlaneOptions;

export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const platform = await openControlPlane(config, options);
  forwardTenantEvents(platform);
  return platform;
}
