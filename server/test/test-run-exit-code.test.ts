import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const VITEST = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const GLOBAL_SETUP = require.resolve('@graphql-auth/test-kit/global-setup');

/** Runs `vitest run` on `dir` as `npm test` would, without DATABASE_URL so the global setup starts its embedded cluster. */
function vitestRun(dir: string, file: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [VITEST, 'run', file], { cwd: dir, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

// The embedded cluster's exit hook once ended every such run with process.exit(0), so a failing
// test left `npm test` and CI green.
describe('a test run with the suites’ global setup (embedded PostgreSQL)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'graphql-auth-exit-code-'));
    // No imports, so nothing needs resolving from the temp dir: globals instead of `import 'vitest'`.
    await writeFile(join(dir, 'vitest.config.mjs'), `export default { test: { globals: true, globalSetup: [${JSON.stringify(GLOBAL_SETUP)}] } };\n`);
    await writeFile(join(dir, 'fails.test.mjs'), `test('fails on purpose', () => { expect(1).toBe(2); });\n`);
    await writeFile(join(dir, 'passes.test.mjs'), `test('passes', () => { expect(1).toBe(1); });\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits non-zero when a test fails', async () => {
    const { code, output } = await vitestRun(dir, 'fails.test.mjs');
    expect(output).toMatch(/Tests\s+1 failed/);
    expect(code, output).toBe(1);
  });

  it('exits 0 when every test passes', async () => {
    const { code, output } = await vitestRun(dir, 'passes.test.mjs');
    expect(output).toMatch(/Tests\s+1 passed/);
    expect(code, output).toBe(0);
  });
});
