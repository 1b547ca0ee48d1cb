import { suiteConfig } from '@graphql-auth/test-kit/vitest-config';

/** The suites that need Debian's pgbouncer (installed by .ci/run): `npm run test:pgbouncer -w server`. */
export default suiteConfig('server-pgbouncer', {
  include: ['test/**/*.pgbouncer.ts'],
});
