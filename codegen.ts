import type { CodegenConfig } from '@graphql-codegen/cli';

const clientPresetConfig = { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string' } };

/**
 * Types for the operations of the web app and of the typed-client example, generated from the
 * committed schema. `npm run codegen` writes them; `graphql-codegen --check` (a web test) fails
 * when they are stale.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**'],
      // The pages hand the `AuthPayloadFields` of login and signup to `auth.setSession` as they are.
      presetConfig: { fragmentMasking: false },
      config: clientPresetConfig,
    },
    // Node runs the example's TypeScript as it is, so its relative imports need the extension.
    'examples/typed-client/src/gql/': {
      preset: 'client',
      documents: ['examples/typed-client/src/**/*.ts', '!examples/typed-client/src/gql/**'],
      // The logins' `TypedClientTokens` go to `auth.setSession` as they are.
      presetConfig: { fragmentMasking: false },
      config: { ...clientPresetConfig, importExtension: '.ts' },
    },
  },
};

export default config;
