import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The server workspace: `node src/main.ts` (and the built `dist/main.js`) run from here. */
export const SERVER_DIR = fileURLToPath(new URL('../../server/', import.meta.url));

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The real server as a child process, with what it printed. */
export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** `http://127.0.0.1:<PORT>`. */
  base: string;
  stdout(): string;
  stderr(): string;
  /** Both streams, labelled, for a failure's message. */
  output(): string;
  exited: Promise<ProcessExit>;
  hasExited(): boolean;
  /** `performance.now()` just before the spawn, to time the start-up. */
  spawnedAt: number;
}

export interface ServerProcessOptions {
  /** `src/main.ts` (types stripped at start, as in development) by default; `dist/main.js` is the build production runs. */
  entry?: string;
  nodeFlags?: string[];
  cwd?: string;
  /** Also appends everything the process prints to this file. */
  logFile?: string;
  /** Keeps only about the last this many characters of each stream (a server under load logs every request). */
  keepChars?: number;
}

const running = new Set<ChildProcess>();

/** Kills whatever a failed test left running; call from afterEach/afterAll. */
export function killServerProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Starts `node [nodeFlags] <entry>` with only PATH and `env`, on `env.PORT`. */
export function startServerProcess(
  env: Record<string, string>,
  { entry = 'src/main.ts', nodeFlags = [], cwd = SERVER_DIR, logFile, keepChars = Infinity }: ServerProcessOptions = {},
): ServerProcess {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, entry], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('the server process could not be spawned');
  running.add(child);
  const printed = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.setEncoding('utf8').on('data', (chunk: string) => {
      printed[stream] += chunk;
      // Trimmed in large steps, so keeping the tail stays cheap.
      if (printed[stream].length > 2 * keepChars) printed[stream] = printed[stream].slice(-keepChars);
    });
  }
  if (logFile) {
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  let done = false;
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const tail = (text: string) => (keepChars === Infinity ? text : text.slice(-keepChars));
  const stdout = () => tail(printed.stdout);
  const stderr = () => tail(printed.stderr);
  return {
    child,
    pid: child.pid,
    base: `http://127.0.0.1:${env.PORT}`,
    stdout,
    stderr,
    output: () => `stdout:\n${stdout()}\nstderr:\n${stderr()}`,
    exited,
    hasExited: () => done,
    spawnedAt,
  };
}

/**
 * Polls `/readyz` until it answers 200 and returns the milliseconds since the spawn; fails early,
 * with the output, if the process dies or time runs out.
 */
export async function waitUntilReady(server: ServerProcess, { withinMs = 20_000, pollEveryMs = 50 }: { withinMs?: number; pollEveryMs?: number } = {}): Promise<number> {
  while (performance.now() - server.spawnedAt < withinMs && !server.hasExited()) {
    try {
      const response = await fetch(`${server.base}/readyz`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - server.spawnedAt;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
  }
  const why = server.hasExited() ? 'exited before it was ready' : `was not ready within ${withinMs} ms`;
  throw new Error(`the server ${why}.\n${server.output()}`);
}

/** The exit, or `'still running'` when it takes longer than `ms`. */
export async function exitWithin(server: ServerProcess, ms: number): Promise<ProcessExit | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), ms);
  });
  try {
    return await Promise.race([server.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
export async function stopServerProcess(server: ServerProcess, graceMs = 15_000): Promise<ProcessExit> {
  if (server.hasExited()) return server.exited;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
  try {
    return await server.exited;
  } finally {
    clearTimeout(timer);
  }
}
