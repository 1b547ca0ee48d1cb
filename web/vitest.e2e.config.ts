import { suiteConfig } from '@graphql-auth/test-kit/vitest-config';

/**
 * End-to-end tests: the real server (in-process, serving `dist/`) on its own database per file,
 * driven by Debian's Chromium through playwright-core, and the typed-client example as a child
 * process. `npm run test:e2e` builds the app first.
 */
export default suiteConfig('e2e', {
  environment: 'node',
  include: ['e2e/**/*.e2e.ts'],
  // Each file runs a server and a browser; two at a time keep a small machine responsive.
  maxWorkers: 2,
  testTimeout: 60_000,
  // A browser on a busy machine: wait up to 10 s for what the page should come to show.
  expect: { poll: { timeout: 10_000, interval: 50 } },
  hookTimeout: 90_000,
});
