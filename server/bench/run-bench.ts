/**
 * `npm run bench`: the server in production mode as a child process on a real
 * PostgreSQL, driven over loopback by autocannon, every ratio measured in the same run.
 *
 * Options (flag or environment variable; durations in seconds):
 *   --duration=10          BENCH_DURATION           seconds per scenario
 *   --connections=50       BENCH_CONNECTIONS        baseline, me and refresh
 *   --login-connections=8  BENCH_LOGIN_CONNECTIONS  logins in flight (enough to keep bcrypt's threads busy)
 *   --mixed-connections=10 BENCH_MIXED_CONNECTIONS  `me` connections while logins saturate the CPU
 *   --warmup=2             BENCH_WARMUP             unrecorded run before baseline, me and refresh
 *   --starts=3             BENCH_STARTS             timed start-ups (median reported)
 *   --only=baseline,me,login,mixed,refresh,flood    BENCH_ONLY  scenarios to run (default: all)
 *   --cpu-prof[=DIR]       BENCH_CPU_PROF           profile the server (`node --cpu-prof`) and summarise the
 *                                                   measured runs (warm-ups left out); only `me` unless --only
 *   --json=FILE            BENCH_JSON               also write the figures as JSON
 *   --server-env=K=V,...   BENCH_SERVER_ENV         extra environment for the server (experiments,
 *                                                   e.g. UV_THREADPOOL_SIZE=8)
 *   --node-flags="..."     BENCH_NODE_FLAGS         extra node flags for the measured server (e.g. --trace-gc)
 *   --server-log=FILE      BENCH_SERVER_LOG         append the measured server's output to FILE
 *   --report-only          BENCH_REPORT_ONLY        exit 0 even when a target is missed (by default a
 *                                                   missed target, like a broken scenario, exits 1)
 * DATABASE_URL set: a database of its own is created there and dropped afterwards; unset: a
 * throwaway embedded PostgreSQL in a temporary directory. BCRYPT_COST (default 12) goes to the server.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import bcrypt from 'bcrypt';
import { readProfile, summariseProfile } from './cpu-profile.ts';
import { signUp, type Account } from './graphql-client.ts';
import type { LoadResult } from './load.ts';
import { readCommandLine, type BenchOptions } from './options.ts';
import { describeMachine, describeRun, finishedLine, median, printReport, type BenchFigures } from './report.ts';
import {
  MeasuredSpan,
  runBaseline,
  runFlood,
  runLogin,
  runMe,
  runMixed,
  runParallelRefreshes,
  runRefresh,
  type RefreshTokenPool,
  type ScenarioContext,
} from './scenarios.ts';
import { freePort } from '@graphql-auth/test-kit/free-port';
import { startServerProcess, stopServerProcess, waitUntilReady, type ServerProcess, type ServerProcessOptions } from '@graphql-auth/test-kit/server-process';
import { residentMiB } from './resident-memory.ts';
import { migrate, prepareDatabase, serverEnvironment, type CleanUp } from './setup.ts';
import { buildServer } from '../build.ts';
import { PRODUCTION_NODE_FLAGS } from '../production-runtime.ts';
import { benchExitStatus } from './verdict.ts';

/**
 * The server as production runs it (`node dist/main.js`, built by `buildServer`), keeping only the
 * tail of its output: it logs every request.
 */
const PRODUCTION_BUILD: ServerProcessOptions = { entry: 'dist/main.js', nodeFlags: PRODUCTION_NODE_FLAGS, keepChars: 32_000 };

/** Start-ups are timed, so `/readyz` is polled often. */
const READY = { withinMs: 30_000, pollEveryMs: 10 };

/** The clean-up steps of a run, undone last first; a failing step is reported and the rest still run. */
class CleanUps {
  readonly #steps: CleanUp[] = [];

  add(step: CleanUp): void {
    this.#steps.push(step);
  }

  async runAll(): Promise<void> {
    while (this.#steps.length > 0) await this.#steps.pop()!().catch((error: unknown) => console.error(`clean-up: ${String(error)}`));
  }
}

/**
 * The bench: reads the options, prepares the database, measures, reports.
 *
 * @returns the exit status: 2 for an unknown argument, 1 when the run failed, a scenario broke or
 *   (without `--report-only`) a target was missed, else 0.
 * @throws Error for an invalid option value, or when the database cannot be prepared (Node prints
 *   it and exits 1).
 */
async function main(): Promise<number> {
  const commandLine = readCommandLine(process.argv.slice(2), process.env);
  if (commandLine.kind === 'unknown-argument') {
    console.error(commandLine.message);
    return 2;
  }
  if (commandLine.kind === 'help') {
    console.log(await helpText());
    return 0;
  }
  const { options } = commandLine;

  const cleanUps = new CleanUps();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping`);
      void cleanUps.runAll().then(() => process.exit(130));
    });
  }

  const started = performance.now();
  const database = await prepareDatabase((step) => cleanUps.add(step));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverEnv = await serverEnvironment({ port, databaseUrl: database.url, bcryptCost: options.bcryptCost, extra: options.serverEnv });
  console.log(await describeMachine(database.description));
  console.log(describeRun(options, serverEnv));

  const results: LoadResult[] = [];
  const figures: BenchFigures = { cores: availableParallelism() };
  let measuredCleanly = false;
  try {
    measuredCleanly = await measure({ options, base, serverEnv, cleanUps, results, figures });
  } finally {
    await cleanUps.runAll();
  }

  // A failed run still reports what it measured before the failure.
  const { targets, brokenScenarios } = printReport(results, figures, options);
  const exitCode = Math.max(measuredCleanly ? 0 : 1, benchExitStatus({ targets, brokenScenarios, reportOnly: options.reportOnly }));
  if (options.json) {
    await writeFile(options.json, `${JSON.stringify({ options: { ...options, only: [...options.only] }, results, figures, targets }, null, 2)}\n`);
  }
  console.log(finishedLine(performance.now() - started));
  return exitCode;
}

/** `--help` prints this file's top comment, so the options are documented in one place. */
async function helpText(): Promise<string | undefined> {
  const source = await readFile(new URL(import.meta.url), 'utf8');
  return /\/\*\*([\s\S]*?)\*\//.exec(source)?.[1]?.replace(/^ \* ?/gm, '').trim();
}

/**
 * Times the start-ups, starts the measured server, runs the chosen scenarios and records into
 * `results` and `figures` as it goes, so that a failure still leaves what was measured.
 *
 * @returns false when something failed (the error, and the server's output if it still runs, are printed).
 */
async function measure({
  options,
  base,
  serverEnv,
  cleanUps,
  results,
  figures,
}: {
  options: BenchOptions;
  base: string;
  serverEnv: Record<string, string>;
  cleanUps: CleanUps;
  results: LoadResult[];
  figures: BenchFigures;
}): Promise<boolean> {
  let server: ServerProcess | undefined;
  try {
    // The server as production runs it: compiled JavaScript, not TypeScript stripped at start-up.
    await buildServer();
    await migrate(serverEnv);

    figures.startupMs = [];
    for (let i = 0; i < options.starts; i++) {
      const candidate = startServerProcess(serverEnv, PRODUCTION_BUILD);
      cleanUps.add(async () => void (candidate.hasExited() || candidate.child.kill('SIGKILL')));
      figures.startupMs.push(await waitUntilReady(candidate, READY));
      await stopServerProcess(candidate);
    }

    const profile = await profileDestination(options);
    const nodeFlags = [...PRODUCTION_NODE_FLAGS, ...options.nodeFlags, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile.dir}`, `--cpu-prof-name=${profile.name}`] : [])];
    server = startServerProcess(serverEnv, { ...PRODUCTION_BUILD, nodeFlags, logFile: options.serverLog });
    const running = server;
    cleanUps.add(async () => void (running.hasExited() || running.child.kill('SIGKILL')));
    await waitUntilReady(server, READY);
    await sleep(1000);
    figures.idleRssAfterStartMiB = await residentMiB(server.pid);

    figures.bcryptHashS = await bcryptHashSeconds(options.bcryptCost);

    const account: Account = { email: `bench-${crypto.randomUUID().slice(0, 8)}@example.com`, password: 'bench password 12345', name: 'Bench' };
    const { accessToken } = await signUp(base, account);
    const span = new MeasuredSpan();
    const context: ScenarioContext = { base, settings: options, span };
    // Every BEARER login of the run adds a session for the refresh scenario.
    const refreshTokens: RefreshTokenPool = [];

    if (options.only.has('baseline')) results.push(await runBaseline(context));
    if (options.only.has('me')) results.push(await runMe(context, accessToken));
    if (options.only.has('login')) results.push(await runLogin(context, account, refreshTokens));
    if (options.only.has('mixed')) results.push(await runMixed(context, account, accessToken, refreshTokens));
    if (options.only.has('flood')) results.push(await runFlood(context));
    if (options.only.has('refresh')) {
      const { result, starved } = await runRefresh(context, account, refreshTokens);
      results.push(result);
      if (starved > 0) console.warn(`warning: the refresh token pool ran dry ${starved} times`);
      figures.parallelRefresh = await runParallelRefreshes(base, account);
    }

    // The server gives memory back once it has been quiet for a second (idle-memory-release.ts).
    await sleep(3000);
    figures.idleRssAfterLoadMiB = await residentMiB(server.pid);
    const exit = await stopServerProcess(server);
    if (exit.code !== 0) throw new Error(`the server exited with ${JSON.stringify(exit)} on SIGTERM:\n${server.output()}`);

    if (profile) {
      const file = join(profile.dir, profile.name);
      figures.profile = { file, summary: summariseProfile(await readProfile(file), span.window) };
    }
    return true;
  } catch (error) {
    console.error(`\nThe bench failed: ${error instanceof Error ? error.message : String(error)}`);
    if (server && !server.hasExited()) console.error(`server output:\n${server.output()}`);
    return false;
  }
}

/** Where the measured server's CPU profile goes, when one is asked for; the directory exists afterwards. */
async function profileDestination(options: BenchOptions): Promise<{ dir: string; name: string } | undefined> {
  if (options.cpuProfileDir === null) return undefined;
  const dir = options.cpuProfileDir ?? (await mkdtemp(join(tmpdir(), 'graphql-auth-profile-')));
  // `--cpu-prof=` names no directory: no profile.
  if (!dir) return undefined;
  await mkdir(dir, { recursive: true });
  return { dir, name: `server-${[...options.only].join('-')}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile` };
}

/** The median of this many hashes: three moved the yardstick by 10 % between runs here (198 to 222 ms). */
const BCRYPT_SAMPLES = 5;

/** One bcrypt hash at `cost` in this process, the median of a few: the login target's yardstick. */
async function bcryptHashSeconds(cost: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < BCRYPT_SAMPLES; i++) {
    const started = performance.now();
    await bcrypt.hash(`bench password ${i}`, cost);
    times.push((performance.now() - started) / 1000);
  }
  return median(times);
}

process.exit(await main());
