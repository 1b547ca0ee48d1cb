import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** Where every suite writes its JSON report (the repository's test-results/). */
const REPORTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** One PostgreSQL server for the whole run: DATABASE_URL's, or a throwaway embedded one. */
const GLOBAL_SETUP = fileURLToPath(new URL('./global-setup.ts', import.meta.url));

/**
 * What every vitest suite of the repository shares (server, web, browser, PgBouncer): the
 * graphql alias, the global setup, the timeouts and the reporters. `report` names the JSON
 * report, test-results/<report>.json; `test` adds the suite's own options and wins over these.
 */
export function suiteConfig(report: string, test: NonNullable<ViteUserConfig['test']>): ViteUserConfig {
  return defineConfig({
    resolve: {
      // graphql 16 ships CommonJS and ESM builds; Node loads the CommonJS one for every importer
      // (the server's code too), and the tests must as well, or `instanceof GraphQLError` fails
      // across the two copies.
      alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
    },
    test: {
      globalSetup: [GLOBAL_SETUP],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      reporters: ['default', 'json'],
      outputFile: { json: `${REPORTS_DIR}${report}.json` },
      ...test,
    },
  });
}
