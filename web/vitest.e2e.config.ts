import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * End-to-end tests: the real server (in-process, serving `dist/`) on its own database per file,
 * driven by Debian's Chromium through playwright-core, and the typed-client example as a child
 * process. `npm run test:e2e` builds the app first.
 */
export default defineConfig({
  resolve: {
    // The same CommonJS graphql the server loads through Node (see vitest.config.ts).
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['../server/test/support/global-setup.ts'],
    // Each file runs a server and a browser; two at a time keep a small machine responsive.
    maxWorkers: 2,
    testTimeout: 60_000,
    // A browser on a busy machine: wait up to 10 s for what the page should come to show.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    hookTimeout: 90_000,
    reporters: ['default', 'json'],
    outputFile: { json: '../test-results/e2e.json' },
  },
});
