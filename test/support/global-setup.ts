import { buildTestTemplate } from './test-template';

/** Builds the migrated control plane and tenant template once; every test copies them. */
export default async function globalSetup(): Promise<void> {
  await buildTestTemplate();
}
