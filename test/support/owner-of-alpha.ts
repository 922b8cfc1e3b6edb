import { createApp } from '../../app/create-app';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../control-plane/users/user-record';
import { addMember, makeTenant, makeUser } from './factories';
import { signIn, type Agent } from './http-agent';
import type { TestPlatform } from './test-platform';

export interface OwnerOfAlpha {
  alpha: TenantRecord;
  beta: TenantRecord;
  olive: UserRecord;
  /** Olive, signed in to a fresh app. */
  owner: Agent;
}

/** Workspaces alpha and beta (the other tenant of cross-tenant checks), and Olive, an owner of alpha only, signed in. */
export async function ownerOfAlpha(t: TestPlatform, names: { alpha?: string; beta?: string; olive?: string } = {}): Promise<OwnerOfAlpha> {
  const app = createApp(t.platform).app;
  const alpha = await makeTenant(t.platform, 'alpha', names.alpha);
  const beta = await makeTenant(t.platform, 'beta', names.beta);
  const olive = await makeUser(t.platform, names.olive === undefined ? {} : { name: names.olive });
  await addMember(t.platform, olive, alpha, 'owner');
  return { alpha, beta, olive, owner: await signIn(app, olive.email) };
}
