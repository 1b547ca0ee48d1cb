import { spawn, type ChildProcess } from 'node:child_process';
// One way to find a port and the server's folder, shared with the bench.
import { freePort, SERVER_DIR } from '../../bench/server-process.ts';

export { freePort, SERVER_DIR };

/** The real server (`node src/main.ts`) as a child process, with what it printed. */
export interface ServerProcess {
  child: ChildProcess;
  base: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Kills whatever a failed test left running; call from afterEach/afterAll. */
export function killServerProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Starts `node src/main.ts` with only PATH and `env`, on `env.PORT`. */
export function startServerProcess(env: Record<string, string>, cwd = SERVER_DIR): ServerProcess {
  const child = spawn(process.execPath, ['src/main.ts'], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, base: `http://127.0.0.1:${env.PORT}`, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Polls `/readyz` until it answers 200; fails early, with the output, if the process dies or time runs out. */
export async function waitUntilReady(server: ServerProcess, withinMs = 20_000): Promise<void> {
  const started = Date.now();
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() - started < withinMs && !exited) {
    try {
      const response = await fetch(`${server.base}/readyz`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server was not ready within ${withinMs} ms.\nstdout:\n${server.stdout()}\nstderr:\n${server.stderr()}`);
}

/** The exit, or `'still running'` when it takes longer than `ms`. */
export async function exitWithin(server: ServerProcess, ms: number) {
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
