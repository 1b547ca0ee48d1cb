import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import { guardTextArguments } from './text-input-guard.ts';
import './scalars.ts';
import './user/user.schema.ts';
import './auth/auth.schema.ts';
import './sign-in/sign-in.schema.ts';
import './auth/session.schema.ts';
import './passkeys/passkey.schema.ts';
import './account/password-change.schema.ts';
import './account/password-reset.schema.ts';
import './account/email-verification.schema.ts';
import './account/email-change.schema.ts';
import './account/account-deletion.schema.ts';
import './second-factor/second-factor.schema.ts';

builder.queryType({});
builder.mutationType({});

export const schema = guardTextArguments(builder.toSchema());

/** The SDL committed as `schema.graphql`, sorted so the file diffs cleanly. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema)).trimEnd()}\n`;
}
