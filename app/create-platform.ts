import type { Config } from '../core/config/load-config';
import { openControlPlane, type ControlPlane, type ControlPlaneOptions } from '../control-plane/control-plane';

/**
 * The platform a server, a CLI command or a test runs on. The control plane holds everything
 * the workspace needs too (router, audit sink, schedule hints, tenant look-ups), so it serves
 * both sides; each side declares the narrow interface it uses (control-plane/control-plane.ts,
 * workspace/workspace-services.ts) and this is where they meet.
 */
export type Platform = ControlPlane;
export type PlatformOptions = ControlPlaneOptions;

export function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  return openControlPlane(config, options);
}
