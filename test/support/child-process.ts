import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';

const TSX_HOOK = require.resolve('tsx/cjs');

export interface Child {
  process: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal), stdout and stderr. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** The next IPC message that satisfies the predicate. */
  message<T>(predicate?: (message: T) => boolean): Promise<T>;
}

/** Runs a TypeScript (or JavaScript) file in a child process of its own, with an IPC channel. */
export function startChild(script: string, args: string[] = [], env: Record<string, string> = {}): Child {
  const child = fork(script, args, {
    execArgv: script.endsWith('.ts') ? ['--require', TSX_HOOK] : [],
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    process: child,
    exited,
    message<T>(predicate: (message: T) => boolean = () => true) {
      return new Promise<T>((resolve, reject) => {
        const onMessage = (message: T) => {
          if (!predicate(message)) return;
          child.off('message', onMessage);
          resolve(message);
        };
        child.on('message', onMessage);
        void exited.then(({ code, stderr: err }) => reject(new Error(`child exited (${code}) before the message: ${err}`)));
      });
    },
  };
}

/**
 * Runs the `tenantry` CLI in a child process that stops dead at the named step
 * (core/process/pause-point.ts), then SIGKILLs it there. Rejects if the command ends without
 * reaching the step.
 */
export async function killCliAt(step: string, args: string[], env: Record<string, string>): Promise<void> {
  const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-pause-')), 'paused');
  const child = startChild(CLI_ENTRY, args, { ...env, TENANTRY_PAUSE_AT: step, TENANTRY_PAUSE_FILE: marker });
  let ended = false;
  void child.exited.then(() => (ended = true));
  for (let waited = 0; !fs.existsSync(marker); waited += 20) {
    if (ended) {
      const { code, stderr } = await child.exited;
      throw new Error(`tenantry ${args.join(' ')} ended (${code}) before reaching step ${step}: ${stderr}`);
    }
    if (waited > 30_000) {
      child.process.kill('SIGKILL');
      throw new Error(`tenantry ${args.join(' ')} did not reach step ${step} in 30 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.process.kill('SIGKILL');
  const { signal } = await child.exited;
  fs.rmSync(path.dirname(marker), { recursive: true, force: true });
  if (signal !== 'SIGKILL') throw new Error(`expected the CLI to be killed at ${step}`);
}

/** The CLI's entry file, as `npx tenantry` runs it. */
export const CLI_ENTRY = path.resolve(__dirname, '../../cli.ts');

/** Runs the `tenantry` CLI in a child process to its end. */
export async function runCliChild(args: string[], env: Record<string, string>) {
  const child = startChild(CLI_ENTRY, args, env);
  return child.exited;
}
