import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/** The suites that need Debian's pgbouncer (installed by .ci/run): `npm run test:pgbouncer -w server`. */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/**/*.pgbouncer.ts'],
    outputFile: { json: '../test-results/server-pgbouncer.json' },
  },
});
