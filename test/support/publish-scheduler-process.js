// One pass of the publishing scheduler in a process of its own, on DATA_DIR (the server's timer,
// as a test can SIGKILL it at a pause point). Exits 0 after the pass.
require('tsx/cjs');
const { loadConfig } = require('../../core/config/load-config.ts');
const { createPlatform } = require('../../app/create-platform.ts');
const { PublishScheduler } = require('../../workspace/scheduler/publish-scheduler.ts');

(async () => {
  const platform = await createPlatform(loadConfig());
  try {
    await new PublishScheduler(platform).tick();
  } finally {
    platform.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
