import { expect } from 'vitest';
import type { App } from '../../server/src/app.ts';
import type { CookieJar } from './cookie-jar.ts';

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; reason?: string; field?: string; [key: string]: unknown };
}

export interface GraphQLResponse<TData> {
  status: number;
  data: TData | null | undefined;
  errors: GraphQLErrorBody[] | undefined;
  headers: Headers;
  text: string;
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Sends its cookies and keeps the ones the response sets. */
  jar?: CookieJar;
  /** The bearer access token to send. */
  token?: string;
}

/** POSTs one GraphQL operation to the app in-process through `yoga.fetch`. */
export async function graphql<TData = Record<string, unknown>>(
  app: App,
  query: string,
  { variables, headers = {}, jar, token }: RequestOptions = {},
): Promise<GraphQLResponse<TData>> {
  const requestHeaders: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...headers };
  if (jar && jar.header()) requestHeaders.cookie = jar.header();
  if (token) requestHeaders.authorization = `Bearer ${token}`;
  const response = await app.fetch('http://localhost:4000/graphql', {
    method: 'POST',
    headers: requestHeaders,
    body: JSON.stringify({ query, variables }),
  });
  jar?.store(response);
  const text = await response.text();
  const body = JSON.parse(text) as { data?: TData | null; errors?: GraphQLErrorBody[] };
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers, text };
}

/** A 401 with exactly one error: UNAUTHENTICATED with the given reason, no data, nothing masked. */
export function expectUnauthenticated(response: GraphQLResponse<unknown>, reason: string): void {
  expect(response.status).toBe(401);
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason });
  expect(response.text).not.toContain('Unexpected error');
}

/** The `extensions.code` of a response's first error, or `OK` when there is none: what a client acts on. */
export const codeOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.code ?? 'OK';
