import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The server workspace: `node src/main.ts` runs from here. */
export const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** The end of what the process wrote (stdout and stderr), for error messages. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
}

const OUTPUT_CHARS_KEPT = 32_000;

/** Spawns `node [nodeFlags] dist/main.js` (built by `buildServer`) with exactly `env` (plus PATH), as production starts it. */
export function spawnServer(env: Record<string, string>, nodeFlags: string[] = [], logFile?: string): ServerProcess {
  const child = spawn(process.execPath, [...nodeFlags, 'dist/main.js'], {
    cwd: SERVER_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('the server process could not be spawned');
  // The server logs every request; keep only the tail, cheaply, so the load generator's CPU goes to load.
  let tail = '';
  const keep = (chunk: string) => {
    tail += chunk;
    if (tail.length > 2 * OUTPUT_CHARS_KEPT) tail = tail.slice(-OUTPUT_CHARS_KEPT);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  if (logFile) {
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  return { child, pid: child.pid, output: () => tail.slice(-OUTPUT_CHARS_KEPT), exited, hasExited: () => done };
}

/** Polls `/readyz` every 10 ms until it answers 200; returns the milliseconds since `since`. */
export async function waitUntilReady(server: ServerProcess, base: string, since: number, withinMs = 30_000): Promise<number> {
  while (performance.now() - since < withinMs) {
    if (server.hasExited()) throw new Error(`The server exited before it was ready:\n${server.output()}`);
    try {
      const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  throw new Error(`/readyz did not answer 200 within ${withinMs} ms:\n${server.output()}`);
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS). */
export async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
export async function stopServer(server: ServerProcess, graceMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (server.hasExited()) return server.exited;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
  try {
    return await server.exited;
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
