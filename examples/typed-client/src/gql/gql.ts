/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment TypedClientTokens on AuthPayload {\n    accessToken\n    refreshToken\n    accessTokenExpiresAt\n    refreshTokenExpiresAt\n  }\n": typeof types.TypedClientTokensFragmentDoc,
    "\n  mutation TypedClientLogin($input: LoginInput!) {\n    login(input: $input, transport: BEARER) {\n      user {\n        id\n        email\n        name\n      }\n      ...TypedClientTokens\n    }\n  }\n": typeof types.TypedClientLoginDocument,
    "\n  query TypedClientMe {\n    me {\n      id\n      email\n      name\n      createdAt\n    }\n  }\n": typeof types.TypedClientMeDocument,
    "\n  mutation TypedClientRequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": typeof types.TypedClientRequestPasswordResetDocument,
    "\n  mutation TypedClientResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword, transport: BEARER) {\n      user {\n        id\n        email\n        emailVerified\n      }\n      ...TypedClientTokens\n    }\n  }\n": typeof types.TypedClientResetPasswordDocument,
    "\n  mutation TypedClientVerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n": typeof types.TypedClientVerifyEmailDocument,
    "\n  mutation TypedClientSendVerificationEmail {\n    sendVerificationEmail\n  }\n": typeof types.TypedClientSendVerificationEmailDocument,
    "\n  mutation TypedClientCompleteLogin($challenge: String!, $code: String!) {\n    completeLogin(challenge: $challenge, code: $code, transport: BEARER) {\n      user {\n        id\n        email\n        name\n      }\n      ...TypedClientTokens\n    }\n  }\n": typeof types.TypedClientCompleteLoginDocument,
};
const documents: Documents = {
    "\n  fragment TypedClientTokens on AuthPayload {\n    accessToken\n    refreshToken\n    accessTokenExpiresAt\n    refreshTokenExpiresAt\n  }\n": types.TypedClientTokensFragmentDoc,
    "\n  mutation TypedClientLogin($input: LoginInput!) {\n    login(input: $input, transport: BEARER) {\n      user {\n        id\n        email\n        name\n      }\n      ...TypedClientTokens\n    }\n  }\n": types.TypedClientLoginDocument,
    "\n  query TypedClientMe {\n    me {\n      id\n      email\n      name\n      createdAt\n    }\n  }\n": types.TypedClientMeDocument,
    "\n  mutation TypedClientRequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n": types.TypedClientRequestPasswordResetDocument,
    "\n  mutation TypedClientResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword, transport: BEARER) {\n      user {\n        id\n        email\n        emailVerified\n      }\n      ...TypedClientTokens\n    }\n  }\n": types.TypedClientResetPasswordDocument,
    "\n  mutation TypedClientVerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n": types.TypedClientVerifyEmailDocument,
    "\n  mutation TypedClientSendVerificationEmail {\n    sendVerificationEmail\n  }\n": types.TypedClientSendVerificationEmailDocument,
    "\n  mutation TypedClientCompleteLogin($challenge: String!, $code: String!) {\n    completeLogin(challenge: $challenge, code: $code, transport: BEARER) {\n      user {\n        id\n        email\n        name\n      }\n      ...TypedClientTokens\n    }\n  }\n": types.TypedClientCompleteLoginDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TypedClientTokens on AuthPayload {\n    accessToken\n    refreshToken\n    accessTokenExpiresAt\n    refreshTokenExpiresAt\n  }\n"): (typeof documents)["\n  fragment TypedClientTokens on AuthPayload {\n    accessToken\n    refreshToken\n    accessTokenExpiresAt\n    refreshTokenExpiresAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TypedClientLogin($input: LoginInput!) {\n    login(input: $input, transport: BEARER) {\n      user {\n        id\n        email\n        name\n      }\n      ...TypedClientTokens\n    }\n  }\n"): (typeof documents)["\n  mutation TypedClientLogin($input: LoginInput!) {\n    login(input: $input, transport: BEARER) {\n      user {\n        id\n        email\n        name\n      }\n      ...TypedClientTokens\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TypedClientMe {\n    me {\n      id\n      email\n      name\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query TypedClientMe {\n    me {\n      id\n      email\n      name\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TypedClientRequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"): (typeof documents)["\n  mutation TypedClientRequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TypedClientResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword, transport: BEARER) {\n      user {\n        id\n        email\n        emailVerified\n      }\n      ...TypedClientTokens\n    }\n  }\n"): (typeof documents)["\n  mutation TypedClientResetPassword($token: String!, $newPassword: String!) {\n    resetPassword(token: $token, newPassword: $newPassword, transport: BEARER) {\n      user {\n        id\n        email\n        emailVerified\n      }\n      ...TypedClientTokens\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TypedClientVerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n"): (typeof documents)["\n  mutation TypedClientVerifyEmail($token: String!) {\n    verifyEmail(token: $token) {\n      id\n      email\n      emailVerified\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TypedClientSendVerificationEmail {\n    sendVerificationEmail\n  }\n"): (typeof documents)["\n  mutation TypedClientSendVerificationEmail {\n    sendVerificationEmail\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TypedClientCompleteLogin($challenge: String!, $code: String!) {\n    completeLogin(challenge: $challenge, code: $code, transport: BEARER) {\n      user {\n        id\n        email\n        name\n      }\n      ...TypedClientTokens\n    }\n  }\n"): (typeof documents)["\n  mutation TypedClientCompleteLogin($challenge: String!, $code: String!) {\n    completeLogin(challenge: $challenge, code: $code, transport: BEARER) {\n      user {\n        id\n        email\n        name\n      }\n      ...TypedClientTokens\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;