import { suiteConfig } from '@graphql-auth/test-kit/vitest-config';

/** The auth client's tests, against the real server (in-process, on a database of each file's own). */
export default suiteConfig('web', {
  environment: 'node',
  include: ['src/**/*.test.ts'],
});
