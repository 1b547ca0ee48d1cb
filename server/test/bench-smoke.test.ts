import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVER_DIR } from '@graphql-auth/test-kit/server-process';
import { postgresAdminUrl } from '@graphql-auth/test-kit/test-database';

/**
 * `npm run bench` end to end at a tiny scale: it must start the production server, run every
 * scenario, print the table and the verdicts, and exit 0 with --report-only (targets missed at
 * this scale must not fail it). No figure is asserted: they depend on the machine
 * (docs/benchmarks.md has a real run).
 */
describe('the benchmark (npm run bench)', () => {
  it('runs every scenario briefly, prints the table and the targets, and exits 0 with --report-only', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['bench/run-bench.ts', '--report-only'], {
      cwd: SERVER_DIR,
      env: {
        PATH: process.env.PATH ?? '',
        // Its own database on the suite's PostgreSQL, dropped at the end.
        DATABASE_URL: postgresAdminUrl(),
        BENCH_DURATION: '1',
        BENCH_WARMUP: '0',
        BENCH_STARTS: '1',
        BENCH_CONNECTIONS: '4',
        BENCH_LOGIN_CONNECTIONS: '2',
        BENCH_MIXED_CONNECTIONS: '2',
        // The lowest cost production accepts, so a one-second login scenario gets answers.
        BCRYPT_COST: '10',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const report = `exit ${code} after ${Date.now() - started} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`;

    expect(code, report).toBe(0);
    expect(stdout, report).toMatch(/^scenario\s+conns\s+req\/s\s+p50 ms\s+p99 ms\s+requests\s+errors$/m);
    for (const row of ['bare yoga { __typename }', 'me (valid bearer token)', 'login (bcrypt cost 10)', 'me while 2 login connections', 'victim login while one address floods', 'refresh (distinct sessions)']) {
      expect(stdout, report).toMatch(new RegExp(`^${row.replace(/[{}()]/g, '\\$&')}.*\\s\\d[\\d,.]*\\s+\\d+$`, 'm'));
    }
    expect(stdout, report).toMatch(/^idle RSS: [\d.]+ MB after start-up, [\d.]+ MB idle after the load/m);
    expect(stdout, report).toMatch(/^start-up \(spawn to \/readyz 200/m);
    expect(stdout, report).toMatch(/^performance target\s+measured\s+ratio\s+verdict$/m);
    for (const target of ['me throughput', 'me p99 <=', 'login >=', 'me p99 < 50 ms', 'refresh throughput', '20 parallel refreshes', 'victim login p99 < 2 s', 'idle RSS after start-up < 150 MB', 'RSS after the load < 250 MB', 'start-up < 3 s']) {
      expect(stdout, report).toMatch(new RegExp(`^${target.replace(/[()]/g, '\\$&')}.*\\s(met|NOT MET)$`, 'm'));
    }
    expect(stdout, report).toMatch(/^(10 of 10 targets met|\d of 10 targets met \(--report-only: exit status 0 all the same\))$/m);
  });
});
