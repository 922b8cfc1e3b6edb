import fs from 'node:fs';
import path from 'node:path';
import { pausePoint } from '../../core/process/pause-point';
import { openTenantFile } from '../../tenant-runtime/open-tenant-file';
import { copyTemplate, ensureTemplate } from './tenant-template';
import type { ProvisioningStep } from './provisioning-context';

/** Makes the tenant file in a private temp folder: a template copy (fast path) or an empty file. */
export const createTempDatabase: ProvisioningStep = {
  name: 'create-temp-database',
  async run(ctx) {
    fs.mkdirSync(path.join(ctx.tempDir, 'files'), { recursive: true });
    pausePoint('provisioning:temp-folder-made');
    if (ctx.useTemplate && ctx.source.latest) {
      copyTemplate(await ensureTemplate(ctx.dataDir, ctx.source), ctx.tempFile);
      ctx.usedTemplate = true;
    }
    ctx.file = openTenantFile(ctx.dataDir, ctx.tenantId, 'create', { file: ctx.tempFile });
  },
};
