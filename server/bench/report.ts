/**
 * What the bench prints: the header about the machine and the run, the table of scenarios, the
 * facts, and the performance targets with their verdicts, each target a ratio measured in the run.
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { readFile } from 'node:fs/promises';
import { formatSummary, type ProfileSummary } from './cpu-profile.ts';
import type { LoadResult } from './load.ts';
import type { BenchOptions } from './options.ts';
import type { ParallelRefreshResult } from './scenarios.ts';
import { verdictLine, type Target } from './verdict.ts';

/** The figures besides the scenarios' table, filled in as the run goes (a failed run reports what it got). */
export interface BenchFigures {
  /** Spawn to the first `/readyz` 200, per timed start-up. */
  startupMs?: number[];
  idleRssAfterStartMiB?: number;
  idleRssAfterLoadMiB?: number;
  /** One bcrypt hash at the run's cost, timed in the bench process. */
  bcryptHashS?: number;
  cores: number;
  parallelRefresh?: ParallelRefreshResult;
  profile?: { file: string; summary: ProfileSummary };
}

const pad = (text: string, width: number) => text.padEnd(width);
const lpad = (text: string, width: number) => text.padStart(width);
const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The 1, 5 and 15 minute load averages: other work on the machine skews every figure. */
export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

/** The header's lines about the machine, the software and the load on it before the run. */
export async function describeMachine(databaseDescription: string): Promise<string> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  return [
    `machine: ${availableParallelism()} cores (nproc), ${model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
    `node ${process.version} (server and load generator on the same machine), ${databaseDescription}`,
    `load average before the run: ${loadAverage()} (other work on the machine skews every figure)`,
  ].join('\n');
}

/** The header's line about the run: scenarios, durations, bcrypt cost, and the rate limits raised in the server's environment. */
export function describeRun(options: BenchOptions, serverEnv: Record<string, string>): string {
  return (
    `scenarios: ${[...options.only].join(', ')}; ${options.durationS} s each after ${options.warmupS} s warm-up; ` +
    `bcrypt cost ${options.bcryptCost}; limits raised: ${Object.keys(serverEnv).filter((name) => name.includes('_LIMIT')).join(', ') || 'none declared'}`
  );
}

/**
 * Prints the table, the facts, the targets with their verdicts and the profile summary to stdout,
 * and each broken scenario (more than 1 % of its requests failed) to stderr.
 *
 * @returns the targets as judged, and how many scenarios broke (the 20 parallel refreshes count as one).
 */
export function printReport(
  results: LoadResult[],
  figures: BenchFigures,
  { bcryptCost, reportOnly }: Pick<BenchOptions, 'bcryptCost' | 'reportOnly'>,
): { targets: Target[]; brokenScenarios: number } {
  printTable(results);
  printFacts(figures, bcryptCost);
  // A scenario that got no response within its duration (a login slower than the run) has no figures.
  for (const result of results.filter((candidate) => candidate.requests === 0)) {
    console.log(`note: "${result.label}" got no response within ${result.durationS} s; its targets are left out`);
  }
  const targets = performanceTargets(results, figures);
  printTargets(targets, reportOnly);
  if (figures.profile) {
    console.log(`\n${formatSummary(figures.profile.summary)}\n\nprofile: ${figures.profile.file} (open in Chrome DevTools > Performance)`);
  }
  const broken = results.filter((result) => result.errors > 0.01 * Math.max(result.requests, 1));
  for (const result of broken) {
    console.error(`\n${result.label}: ${result.errors} of ${result.requests} requests failed, first: ${result.firstError}`);
  }
  return { targets, brokenScenarios: broken.length + (figures.parallelRefresh?.errors ? 1 : 0) };
}

/** The report's last line. */
export function finishedLine(elapsedMs: number): string {
  return `\nbench finished in ${fmt(elapsedMs / 1000, 1)} s; load average now ${loadAverage()}`;
}

function printTable(results: LoadResult[]): void {
  if (results.length === 0) return;
  console.log('');
  console.log(`${pad('scenario', 52)}${lpad('conns', 6)}${lpad('req/s', 10)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('requests', 10)}${lpad('errors', 8)}`);
  for (const result of results) {
    console.log(
      `${pad(result.label, 52)}${lpad(String(result.connections), 6)}${lpad(fmt(result.requestsPerSecond, result.requestsPerSecond < 100 ? 1 : 0), 10)}` +
        `${lpad(fmt(result.p50Ms), 9)}${lpad(fmt(result.p99Ms), 9)}${lpad(fmt(result.requests), 10)}${lpad(String(result.errors), 8)}`,
    );
  }
}

function printFacts(figures: BenchFigures, bcryptCost: number): void {
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
  if (figures.bcryptHashS !== undefined) facts.push(`one bcrypt hash at cost ${bcryptCost}: ${fmt(figures.bcryptHashS * 1000)} ms (median of 5, in the bench process); cores: ${figures.cores}`);
  if (figures.parallelRefresh) {
    const parallel = figures.parallelRefresh;
    facts.push(`20 parallel refreshes of one session: ${parallel.distinctSuccessors} distinct successor(s), ${parallel.errors} errors${parallel.firstError ? ` (${parallel.firstError})` : ''}`);
  }
  if (facts.length > 0) console.log(`\n${facts.join('\n')}`);
}

/** The performance targets this run's figures allow judging; a target whose scenario did not run or got no response is left out. */
export function performanceTargets(results: LoadResult[], figures: BenchFigures): Target[] {
  const find = (prefix: string) => results.find((result) => result.label.startsWith(prefix) && result.requests > 0);
  const baseline = find('bare yoga');
  const me = find('me (valid');
  const login = find('login (');
  const mixed = find('me while');
  const refresh = find('refresh');
  const victimLogin = find('victim login');
  const targets: Target[] = [];
  if (baseline && me) {
    const throughput = me.requestsPerSecond / baseline.requestsPerSecond;
    targets.push({ target: 'me throughput >= 0.8 x baseline', measured: `${fmt(me.requestsPerSecond)} / ${fmt(baseline.requestsPerSecond)} req/s`, ratio: throughput, met: throughput >= 0.8 });
    const latency = me.p99Ms / Math.max(baseline.p99Ms, 1);
    targets.push({
      target: `me p99 <= 1.5 x baseline p99 (${me.connections} conns)`,
      measured: `${fmt(me.p99Ms)} / ${fmt(baseline.p99Ms)} ms`,
      ratio: latency,
      met: latency <= 1.5,
    });
  }
  if (login && figures.bcryptHashS) {
    const ceiling = figures.cores / figures.bcryptHashS;
    const ratio = login.requestsPerSecond / ceiling;
    targets.push({
      target: 'login >= 0.9 x (cores / bcrypt hash time)',
      measured: `${fmt(login.requestsPerSecond, 1)} / ${fmt(ceiling, 1)} req/s`,
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
    targets.push({ target: 'refresh throughput >= 0.4 x me', measured: `${fmt(refresh.requestsPerSecond)} / ${fmt(me.requestsPerSecond)} req/s`, ratio, met: ratio >= 0.4 });
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
  const idle = figures.idleRssAfterStartMiB;
  if (idle) targets.push({ target: 'idle RSS after start-up < 150 MB', measured: `${fmt(idle, 1)} MB`, ratio: idle / 150, met: idle < 150 });
  const afterLoad = figures.idleRssAfterLoadMiB;
  if (afterLoad) targets.push({ target: 'RSS after the load < 250 MB', measured: `${fmt(afterLoad, 1)} MB`, ratio: afterLoad / 250, met: afterLoad < 250 });
  if (figures.startupMs?.length) {
    const startup = median(figures.startupMs);
    targets.push({ target: 'start-up < 3 s', measured: `${fmt(startup)} ms`, ratio: startup / 3000, met: startup < 3000 });
  }
  return targets;
}

function printTargets(targets: Target[], reportOnly: boolean): void {
  if (targets.length === 0) return;
  console.log(`\n${pad('performance target', 52)}${pad('measured', 28)}${lpad('ratio', 7)}  verdict`);
  for (const target of targets) {
    console.log(`${pad(target.target, 52)}${pad(target.measured, 28)}${lpad(fmt(target.ratio, 2), 7)}  ${target.met ? 'met' : 'NOT MET'}`);
  }
  console.log(verdictLine(targets, reportOnly));
}
