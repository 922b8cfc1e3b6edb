import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves with the printed pid once the server says it serves; rejects if it exits first. */
  serving: Promise<number>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start`'s command (one Node process running the server), on a data folder and port. */
export function startServerProcess(
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
  command: string[] = ['--import', 'tsx', 'server.ts'],
): ServerProcess {
  const child = spawn(command[0] === 'npm' ? 'npm' : process.execPath, command[0] === 'npm' ? command.slice(1) : command, {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const serving = new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const pid = /is serving .* \(pid (\d+),/.exec(stdout)?.[1];
      if (pid) resolve(Number(pid));
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then(({ code }) => reject(new Error(`server exited with ${code} before serving: ${stderr}`)));
  });
  serving.catch(() => undefined);
  return { child, output: () => ({ stdout, stderr }), serving, exited };
}

/** Whether a process with this id is alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the server on the data folder stopping at the named pause point (core/process/pause-point.ts),
 * runs `reach` with its address (the requests that get there; the last one is left hanging), and
 * SIGKILLs the server there: it dies at that step of the request, with no chance to clean up.
 */
export async function killServerAt(dataDir: string, point: string, reach: (baseUrl: string) => Promise<unknown>, timeoutMs = 15_000): Promise<void> {
  const port = await freePort();
  const server = startServerProcess(dataDir, port, { TENANTRY_PAUSE_AT: point });
  try {
    await server.serving;
    void reach(`http://127.0.0.1:${port}`).catch(() => undefined);
    const deadline = Date.now() + timeoutMs;
    while (!server.output().stderr.includes(`paused at ${point}`)) {
      if (server.child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not reach ${point}: ${server.output().stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

/** An HTTP answer read in full, so that it can be looked at once its server has stopped. */
export interface ReadAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * A request a client sends again after the server died handling it: `send` reaches a server
 * SIGKILLed at the pause point (killServerAt), then once more a server started again on the same
 * data folder. The answer to the retry, read in full before that server stops.
 */
export async function retriedAfterKill(dataDir: string, point: string, send: (baseUrl: string) => Promise<Response>): Promise<ReadAnswer> {
  await killServerAt(dataDir, point, send);
  const port = await freePort();
  const server = startServerProcess(dataDir, port);
  try {
    await server.serving;
    const answer = await send(`http://127.0.0.1:${port}`);
    return { status: answer.status, headers: answer.headers, body: await answer.json() };
  } finally {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}
