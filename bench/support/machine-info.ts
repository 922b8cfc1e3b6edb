import fs from 'node:fs';
import os from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import { describeFileSystem, fileSystemOf } from '../../core/fs/file-system-of';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  nodeVersion: string;
  platform: string;
  arch: string;
  totalMemoryGiB: number;
  openFileLimit: number | null;
  sqliteVersion: string;
  /**
   * The file system the benchmarks' data goes on (os.tmpdir(): set TMPDIR to move it). On ext4
   * without a journal every file created after deletions costs far more (docs/decisions/045).
   */
  dataFileSystem: string;
  packages: Record<string, string>;
}

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The soft "Max open files" limit of this process (Linux only). */
function openFileLimit(): number | null {
  try {
    const line = fs
      .readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}

function dataFileSystem(): string {
  const info = fileSystemOf(os.tmpdir());
  return `${os.tmpdir()} on ${info ? describeFileSystem(info) : 'a file system not known'}`;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const db = new BetterSqlite3(':memory:');
  const sqliteVersion = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  db.close();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    nodeVersion: process.version,
    platform: `${os.type()} ${os.release()}`,
    arch: process.arch,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    openFileLimit: openFileLimit(),
    sqliteVersion,
    dataFileSystem: dataFileSystem(),
    packages: Object.fromEntries(['better-sqlite3', 'express', 'knex', 'umzug', 'autocannon'].map((name) => [name, packageVersion(name)])),
  };
}
