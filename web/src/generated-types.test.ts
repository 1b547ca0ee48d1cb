import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CODEGEN = createRequire(import.meta.url).resolve('@graphql-codegen/cli/package.json').replace(/package\.json$/, 'esm/bin.js');

describe('codegen output', () => {
  it('is current for every document (web/src/gql and examples/typed-client/src/gql): run `npm run codegen` when this fails', async () => {
    const check = promisify(execFile)(process.execPath, [CODEGEN, '--check', '--config', 'codegen.ts'], { cwd: ROOT, timeout: 60_000 });
    await expect(check.then(() => 'current').catch((error: { stdout?: string }) => `stale:\n${error.stdout ?? error}`)).resolves.toBe('current');
  });
});
