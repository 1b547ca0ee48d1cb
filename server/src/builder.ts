import SchemaBuilder from '@pothos/core';
import type { GraphQLContext } from './context.ts';

// Features take the context type from here: the builder is the one place that ties them to the app's context.
export type { GraphQLContext };

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string };
  };
}>({ defaultFieldNullability: false });
