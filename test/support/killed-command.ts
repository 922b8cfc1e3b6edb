import { spawn } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/tenantry.js');

export interface KilledRun {
  /** The pause point the process stopped at before it was killed, or undefined if it finished first. */
  pausedAt?: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs `tenantry <args>` as a real process with TENANTRY_PAUSE_AT=<point>, waits until it
 * reports that it stopped there, and SIGKILLs it: the process dies exactly at that point, with
 * no chance to clean up (core/process/pause-point.ts).
 */
export function runAndKillAt(dataDir: string, point: string, args: string[], timeoutMs = 25_000): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', TENANTRY_PAUSE_AT: point },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let pausedAt: string | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tenantry ${args.join(' ')} did not reach ${point} in ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /paused at (\S+)/.exec(stderr);
      if (match && !pausedAt) {
        pausedAt = match[1];
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ pausedAt, code, signal, stderr });
    });
  });
}
