import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS and ESM builds; the server code these tests run loads the CommonJS
    // one through Node, so the tests must too, or `instanceof GraphQLError` fails across two copies.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // The server's: one throwaway embedded PostgreSQL (or DATABASE_URL); each test file its own database.
    globalSetup: ['../server/test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '../test-results/web.json' },
  },
});
