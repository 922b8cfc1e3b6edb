import path from 'node:path';
import { PlatformDatabase } from '../../../control-plane/db/platform-database';
import { AuditLog } from '../../../control-plane/audit/audit-log';
import type { AuditRecord } from '../../../tenant-runtime/audit-sink';

/**
 * Records the same refused access many times on a data folder's control plane, as a second
 * server or a command would: argv is the folder, the count and the record (JSON). With an IPC
 * channel it waits for "go" first, so two of them record at the same moment.
 */
async function main(): Promise<void> {
  if (process.send) {
    const go = new Promise((resolve) => process.once('message', resolve));
    process.send('ready');
    await go;
  }
  const db = new PlatformDatabase(path.join(process.argv[2], 'platform.sqlite'));
  const audit = new AuditLog(db);
  const entry = JSON.parse(process.argv[4]) as AuditRecord;
  for (let n = 0; n < Number(process.argv[3]); n++) audit.record(entry);
  db.close();
  process.disconnect?.();
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error));
  process.exit(1);
});
