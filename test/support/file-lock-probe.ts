import { execFileSync } from 'node:child_process';

/**
 * Whether another process can take a SQLite file for itself alone (exclusive locking mode, as a
 * restore's drain or a last close does): false while any connection of this process holds it.
 */
export function anotherProcessGetsItAlone(file: string): boolean {
  const probe = `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new Database(${JSON.stringify(file)});
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    try { db.exec('BEGIN EXCLUSIVE'); db.exec('COMMIT'); process.stdout.write('alone'); } catch { process.stdout.write('locked'); }
    db.close();`;
  return execFileSync(process.execPath, ['-e', probe]).toString() === 'alone';
}
