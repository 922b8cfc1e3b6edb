// One pass of the webhook dispatcher in a process of its own, on DATA_DIR (the server's worker, as
// a test can SIGKILL it mid-delivery). Exits 0 after the pass.
require('tsx/cjs');
const { loadConfig } = require('../../core/config/load-config.ts');
const { createPlatform } = require('../../app/create-platform.ts');
const { WebhookDispatcher } = require('../../workspace/webhooks/webhook-dispatcher.ts');

(async () => {
  const platform = await createPlatform(loadConfig());
  try {
    await new WebhookDispatcher(platform, { policy: { timeoutMs: 60_000 } }).tick();
  } finally {
    platform.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
