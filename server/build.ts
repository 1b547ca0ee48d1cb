import { spawn } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_DIR = fileURLToPath(new URL('.', import.meta.url));
// Served as they are, not compiled: they ride along next to the module that serves them.
const ASSETS = ['http/graphiql-guard-script.js'];

/**
 * Compiles `src/` to JavaScript in `dist/` (tsconfig.build.json), which production runs: stripping
 * types at start-up keeps the TypeScript loader resident, about 30 MB of a server's idle memory.
 */
export async function buildServer(): Promise<void> {
  // The package exports no `bin/tsc`; its package.json is exported, and the bin sits beside it.
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: SERVER_DIR, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (exitCode !== 0) throw new Error(`compiling the server failed (tsc exited with ${exitCode})`);
  for (const asset of ASSETS) await copyFile(new URL(`src/${asset}`, import.meta.url), new URL(`dist/${asset}`, import.meta.url));
}

if (import.meta.main) {
  try {
    await buildServer();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
