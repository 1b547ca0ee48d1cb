import { suiteConfig } from '@graphql-auth/test-kit/vitest-config';

export default suiteConfig('server', {
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
});
