import { suiteConfig } from '@graphql-auth/test-kit/vitest-config';

/** The auth client's tests, against the real server over HTTP (on a database of each file's own). */
export default suiteConfig('web', {
  environment: 'node',
  include: ['src/**/*.test.ts'],
});
