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
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { formatSummary, readProfile, summariseProfile, type ProfileSummary } from './cpu-profile.ts';
import { call, dataOk, describeFailure, logIn, loginBody, requestBody, signUp, BASELINE, LOGIN, ME, REFRESH, type GraphQLBody } from './graphql-client.ts';
import { runLoad, type LoadResult, type LoadSpec } from './load.ts';
import { readCommandLine } from './options.ts';
import { benchExitStatus, verdictLine, type Target } from './verdict.ts';
import { freePort, residentMiB, sleep, spawnServer, stopServer, waitUntilReady, type ServerProcess } from './server-process.ts';
import { migrate, prepareDatabase, serverEnvironment, type BenchDatabase } from './setup.ts';

const commandLine = readCommandLine(process.argv.slice(2), process.env);
if (commandLine.kind === 'unknown-argument') {
  console.error(commandLine.message);
  process.exit(2);
}
if (commandLine.kind === 'help') {
  const source = await readFile(new URL(import.meta.url), 'utf8');
  console.log(/\/\*\*([\s\S]*?)\*\//.exec(source)?.[1]?.replace(/^ \* ?/gm, '').trim());
  process.exit(0);
}
const { options } = commandLine;

// ---------------------------------------------------------------------------------------------
// Clean-up

const cleanups: (() => Promise<void>)[] = [];
async function cleanUp() {
  while (cleanups.length > 0) await cleanups.pop()!().catch((error) => console.error(`clean-up: ${String(error)}`));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// The run

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function bcryptHashSeconds(cost: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await bcrypt.hash(`bench password ${i}`, cost);
    times.push((performance.now() - started) / 1000);
  }
  return median(times);
}

const loadAverage = () => loadavg().map((value) => value.toFixed(2)).join(' ');

async function machine(database: BenchDatabase): Promise<string> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  return [
    `machine: ${availableParallelism()} cores (nproc), ${model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
    `node ${process.version} (server and load generator on the same machine), ${database.description}`,
    `load average before the run: ${loadAverage()} (other work on the machine skews every figure)`,
  ].join('\n');
}

const started = performance.now();
const database = await prepareDatabase((cleanUp) => cleanups.push(cleanUp));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const serverEnv = await serverEnvironment({ port, databaseUrl: database.url, bcryptCost: options.bcryptCost, extra: options.serverEnv });

console.log(await machine(database));
console.log(
  `scenarios: ${[...options.only].join(', ')}; ${options.durationS} s each after ${options.warmupS} s warm-up; ` +
    `bcrypt cost ${options.bcryptCost}; limits raised: ${Object.keys(serverEnv).filter((name) => name.includes('_LIMIT')).join(', ') || 'none declared'}`,
);

let exitCode = 0;
const results: LoadResult[] = [];
const figures: {
  startupMs?: number[];
  idleRssAfterStartMiB?: number;
  idleRssAfterLoadMiB?: number;
  bcryptHashS?: number;
  cores: number;
  parallelRefresh?: { requests: number; errors: number; distinctSuccessors: number; firstError?: string };
  profile?: { file: string; summary: ProfileSummary };
} = { cores: availableParallelism() };
let server: ServerProcess | undefined;

try {
  // Migrate once, so every timed start finds the schema in place (as a restart would).
  await migrate(serverEnv);

  figures.startupMs = [];
  for (let i = 0; i < options.starts; i++) {
    const spawnedAt = performance.now();
    const candidate = spawnServer(serverEnv);
    cleanups.push(async () => void (candidate.hasExited() || candidate.child.kill('SIGKILL')));
    figures.startupMs.push(await waitUntilReady(candidate, base, spawnedAt));
    await stopServer(candidate);
  }

  const profileDir = options.cpuProfileDir === null ? undefined : (options.cpuProfileDir ?? (await mkdtemp(join(tmpdir(), 'graphql-auth-profile-'))));
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const profileName = `server-${[...options.only].join('-')}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
  const nodeFlags = [...options.nodeFlags, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${profileName}`] : [])];
  server = spawnServer(serverEnv, nodeFlags, options.serverLog);
  const running = server;
  cleanups.push(async () => void (running.hasExited() || running.child.kill('SIGKILL')));
  await waitUntilReady(server, base, performance.now());
  await sleep(1000);
  figures.idleRssAfterStartMiB = await residentMiB(server.pid);

  figures.bcryptHashS = await bcryptHashSeconds(options.bcryptCost);

  const account = { email: `bench-${crypto.randomUUID().slice(0, 8)}@example.com`, password: 'bench password 12345', name: 'Bench' };
  const signedUp = await signUp(base, account);
  const login = () => logIn(base, account);
  const loginAsAccount = loginBody(account);
  // Sessions for the refresh scenario: every BEARER login the run makes adds one.
  const refreshTokens: string[] = [];
  const harvestLogin = (status: number, parsed: GraphQLBody): true | string => {
    const verdict = dataOk('login')(status, parsed);
    const token = parsed.data?.login?.refreshToken;
    if (verdict === true && token) refreshTokens.push(token);
    return verdict;
  };

  // The profile summary covers the measured runs only: from the first one's start to the last one's end.
  let profileWindow: { fromUs: number; toUs: number } | undefined;
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  const measured = async <T>(run: () => Promise<T>): Promise<T> => {
    const fromUs = nowUs();
    const outcome = await run();
    profileWindow = { fromUs: profileWindow?.fromUs ?? fromUs, toUs: nowUs() };
    return outcome;
  };
  const scenario = async (spec: LoadSpec, { warmup = true } = {}) => {
    if (warmup && options.warmupS > 0) await runLoad(base, { ...spec, durationS: options.warmupS });
    const result = await measured(() => runLoad(base, spec));
    results.push(result);
    return result;
  };

  if (options.only.has('baseline')) {
    await scenario({ label: 'bare yoga { __typename }', connections: options.connections, durationS: options.durationS, body: requestBody(BASELINE), check: dataOk('__typename') });
  }
  if (options.only.has('me')) {
    await scenario({
      label: 'me (valid bearer token)',
      connections: options.connections,
      durationS: options.durationS,
      body: requestBody(ME),
      headers: { authorization: `Bearer ${signedUp.accessToken}` },
      check: dataOk('me'),
    });
  }
  if (options.only.has('login')) {
    await scenario(
      { label: `login (bcrypt cost ${options.bcryptCost})`, connections: options.loginConnections, durationS: options.durationS, body: loginAsAccount, check: harvestLogin },
      { warmup: false },
    );
  }
  if (options.only.has('mixed')) {
    const [, me] = await measured(() => Promise.all([
      runLoad(base, { label: 'logins (background load)', connections: options.loginConnections, durationS: options.durationS, body: loginAsAccount, check: harvestLogin }),
      runLoad(base, {
        label: `me while ${options.loginConnections} login connections saturate the CPU`,
        connections: options.mixedConnections,
        durationS: options.durationS,
        body: requestBody(ME),
        headers: { authorization: `Bearer ${signedUp.accessToken}` },
        check: dataOk('me'),
      }),
    ]));
    results.push(me);
  }
  if (options.only.has('flood')) {
    // One address floods wrong passwords (limits raised, so every attempt costs a hash) while a real
    // user from another address logs in over and over: the fair hashing queue should keep them apart.
    const victim = { email: `victim-${crypto.randomUUID().slice(0, 8)}@example.com`, password: 'victim password 12345', name: 'Victim' };
    await signUp(base, victim);
    const refusedOrWrong = (status: number, parsed: GraphQLBody): true | string => {
      const code = parsed.errors?.[0]?.extensions?.code;
      return code === 'INVALID_CREDENTIALS' || code === 'RATE_LIMITED' ? true : describeFailure(status, parsed);
    };
    const [, victimLogins] = await measured(() =>
      Promise.all([
        runLoad(base, {
          label: 'wrong passwords from one address (background)',
          connections: options.connections,
          durationS: options.durationS,
          body: requestBody(LOGIN, { input: { email: account.email, password: 'not the password' } }),
          headers: { 'x-forwarded-for': '203.0.113.66' },
          check: refusedOrWrong,
        }),
        runLoad(base, {
          label: 'victim login while one address floods',
          connections: 1,
          durationS: options.durationS,
          body: requestBody(LOGIN, { input: { email: victim.email, password: victim.password } }),
          headers: { 'x-forwarded-for': '198.51.100.7' },
          check: dataOk('login'),
        }),
      ]),
    );
    results.push(victimLogins);
  }
  if (options.only.has('refresh')) {
    // Each request presents a different, current refresh token: a pool of sessions at least twice
    // the connections, each request taking the oldest token and returning its successor. No request
    // ever hits the grace window or reuse detection.
    const wanted = Math.max(2 * options.connections, 8);
    const missing = wanted - refreshTokens.length;
    for (let made = 0; made < missing; made += options.loginConnections) {
      const batch = await Promise.all(Array.from({ length: Math.min(options.loginConnections, missing - made) }, login));
      refreshTokens.push(...batch.map((tokens) => tokens.refreshToken));
    }
    let starved = 0;
    const refreshSpec: LoadSpec = {
      label: 'refresh (distinct sessions)',
      connections: options.connections,
      durationS: options.durationS,
      body: () => {
        const token = refreshTokens.shift();
        if (token === undefined) starved += 1;
        return requestBody(REFRESH, { refreshToken: token ?? 'pool.exhausted' });
      },
      check: (status, parsed) => {
        const successor = parsed.data?.refresh?.refreshToken;
        if (status === 200 && !parsed.errors && successor) {
          refreshTokens.push(successor);
          return true;
        }
        return describeFailure(status, parsed);
      },
    };
    await scenario(refreshSpec);
    if (starved > 0) console.warn(`warning: the refresh token pool ran dry ${starved} times`);

    // DESIGN §8: 20 parallel refreshes of one session rotate once and agree on the successor.
    const { refreshToken } = await login();
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(base, REFRESH, { refreshToken })));
    const successors = new Set<string>();
    let errors = 0;
    let firstError: string | undefined;
    for (const answer of answers) {
      const successor = answer.body.data?.refresh?.refreshToken;
      if (answer.status === 200 && !answer.body.errors && successor) successors.add(successor);
      else {
        errors += 1;
        firstError ??= describeFailure(answer.status, answer.body);
      }
    }
    figures.parallelRefresh = { requests: answers.length, errors, distinctSuccessors: successors.size, firstError };
  }

  await sleep(2000);
  figures.idleRssAfterLoadMiB = await residentMiB(server.pid);
  const exit = await stopServer(server);
  if (exit.code !== 0) throw new Error(`the server exited with ${JSON.stringify(exit)} on SIGTERM:\n${server.output()}`);

  if (profileDir) {
    const file = join(profileDir, (await readdir(profileDir)).find((name) => name === profileName) ?? profileName);
    figures.profile = { file, summary: summariseProfile(await readProfile(file), profileWindow) };
  }
} catch (error) {
  console.error(`\nThe bench failed: ${error instanceof Error ? error.message : String(error)}`);
  if (server && !server.hasExited()) console.error(`server output:\n${server.output()}`);
  exitCode = 1;
} finally {
  await cleanUp();
}

// ---------------------------------------------------------------------------------------------
// Report

const pad = (text: string, width: number) => text.padEnd(width);
const lpad = (text: string, width: number) => text.padStart(width);
const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

if (results.length > 0) {
  console.log('');
  console.log(`${pad('scenario', 52)}${lpad('conns', 6)}${lpad('req/s', 10)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('requests', 10)}${lpad('errors', 8)}`);
  for (const result of results) {
    console.log(
      `${pad(result.label, 52)}${lpad(String(result.connections), 6)}${lpad(fmt(result.requestsPerSecond, result.requestsPerSecond < 100 ? 1 : 0), 10)}` +
        `${lpad(fmt(result.p50Ms), 9)}${lpad(fmt(result.p99Ms), 9)}${lpad(fmt(result.requests), 10)}${lpad(String(result.errors), 8)}`,
    );
  }
}
const facts: string[] = [];
if (figures.idleRssAfterStartMiB !== undefined) {
  facts.push(
    `idle RSS: ${fmt(figures.idleRssAfterStartMiB, 1)} MB after start-up` +
      (figures.idleRssAfterLoadMiB !== undefined ? `, ${fmt(figures.idleRssAfterLoadMiB, 1)} MB idle after the load (MB = 2^20 bytes)` : ''),
  );
}
if (figures.startupMs?.length) {
  const times = figures.startupMs;
  facts.push(
    `start-up (spawn to /readyz 200, database already migrated): median ${fmt(median(times))} ms of ${times.length} (${times.map((ms) => fmt(ms)).join(', ')} ms)`,
  );
}
if (figures.bcryptHashS !== undefined) facts.push(`one bcrypt hash at cost ${options.bcryptCost}: ${fmt(figures.bcryptHashS * 1000)} ms (median of 3, in the bench process); cores: ${figures.cores}`);
if (figures.parallelRefresh) {
  const parallel = figures.parallelRefresh;
  facts.push(`20 parallel refreshes of one session: ${parallel.distinctSuccessors} distinct successor(s), ${parallel.errors} errors${parallel.firstError ? ` (${parallel.firstError})` : ''}`);
}
if (facts.length > 0) console.log(`\n${facts.join('\n')}`);

// The performance targets, as ratios measured in this run.
// A scenario that got no response within its duration (a login slower than the run) has no figures.
const find = (prefix: string) => results.find((result) => result.label.startsWith(prefix) && result.requests > 0);
for (const result of results.filter((candidate) => candidate.requests === 0)) {
  console.log(`note: "${result.label}" got no response within ${result.durationS} s; its targets are left out`);
}
const baseline = find('bare yoga');
const me = find('me (valid');
const loginResult = find('login (');
const mixed = find('me while');
const refresh = find('refresh');
const victimLogin = find('victim login');
const targets: Target[] = [];
if (baseline && me) {
  const throughput = me.requestsPerSecond / baseline.requestsPerSecond;
  targets.push({ target: 'me throughput >= 0.5 x baseline', measured: `${fmt(me.requestsPerSecond)} / ${fmt(baseline.requestsPerSecond)} req/s`, ratio: throughput, met: throughput >= 0.5 });
  const latency = me.p99Ms / Math.max(baseline.p99Ms, 1);
  targets.push({
    target: `me p99 <= 1.5 x baseline p99 (${me.connections} conns)`,
    measured: `${fmt(me.p99Ms)} / ${fmt(baseline.p99Ms)} ms`,
    ratio: latency,
    met: latency <= 1.5,
  });
}
if (loginResult && figures.bcryptHashS) {
  const ceiling = figures.cores / figures.bcryptHashS;
  const ratio = loginResult.requestsPerSecond / ceiling;
  targets.push({
    target: 'login >= 0.9 x (cores / bcrypt hash time)',
    measured: `${fmt(loginResult.requestsPerSecond, 1)} / ${fmt(ceiling, 1)} req/s`,
    ratio,
    met: ratio >= 0.9,
  });
}
if (mixed) {
  targets.push({ target: `me p99 < 50 ms at ${mixed.connections} conns under login load`, measured: `${fmt(mixed.p99Ms)} ms`, ratio: mixed.p99Ms / 50, met: mixed.p99Ms < 50 });
}
if (victimLogin) {
  targets.push({
    target: `victim login p99 < 2 s while one address floods`,
    measured: `${fmt(victimLogin.p99Ms)} ms`,
    ratio: victimLogin.p99Ms / 2000,
    met: victimLogin.p99Ms < 2000,
  });
}
if (refresh && me) {
  const ratio = refresh.requestsPerSecond / me.requestsPerSecond;
  targets.push({ target: 'refresh throughput >= 0.25 x me', measured: `${fmt(refresh.requestsPerSecond)} / ${fmt(me.requestsPerSecond)} req/s`, ratio, met: ratio >= 0.25 });
}
if (figures.parallelRefresh) {
  const parallel = figures.parallelRefresh;
  targets.push({
    target: '20 parallel refreshes: 1 successor, 0 errors',
    measured: `${parallel.distinctSuccessors} successor(s), ${parallel.errors} errors`,
    ratio: parallel.distinctSuccessors,
    met: parallel.distinctSuccessors === 1 && parallel.errors === 0,
  });
}
const rss = Math.max(figures.idleRssAfterStartMiB ?? 0, figures.idleRssAfterLoadMiB ?? 0);
if (rss > 0) targets.push({ target: 'idle RSS < 150 MB (the larger of the two)', measured: `${fmt(rss, 1)} MB`, ratio: rss / 150, met: rss < 150 });
if (figures.startupMs?.length) {
  const startup = median(figures.startupMs);
  targets.push({ target: 'start-up < 3 s', measured: `${fmt(startup)} ms`, ratio: startup / 3000, met: startup < 3000 });
}
if (targets.length > 0) {
  console.log(`\n${pad('performance target', 52)}${pad('measured', 28)}${lpad('ratio', 7)}  verdict`);
  for (const target of targets) {
    console.log(`${pad(target.target, 52)}${pad(target.measured, 28)}${lpad(fmt(target.ratio, 2), 7)}  ${target.met ? 'met' : 'NOT MET'}`);
  }
  console.log(verdictLine(targets, options.reportOnly));
}

if (figures.profile) {
  console.log(`\n${formatSummary(figures.profile.summary)}\n\nprofile: ${figures.profile.file} (open in Chrome DevTools > Performance)`);
}

const broken = results.filter((result) => result.errors > 0.01 * Math.max(result.requests, 1));
for (const result of broken) {
  console.error(`\n${result.label}: ${result.errors} of ${result.requests} requests failed, first: ${result.firstError}`);
}
exitCode = Math.max(exitCode, benchExitStatus({ targets, brokenScenarios: broken.length + (figures.parallelRefresh?.errors ? 1 : 0), reportOnly: options.reportOnly }));

if (options.json) {
  await writeFile(options.json, `${JSON.stringify({ options: { ...options, only: [...options.only] }, results, figures, targets }, null, 2)}\n`);
}
console.log(`\nbench finished in ${fmt((performance.now() - started) / 1000, 1)} s; load average now ${loadAverage()}`);
process.exit(exitCode);
