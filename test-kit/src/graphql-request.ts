import { expect } from 'vitest';
import type { App } from '../../src/app.ts';

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

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; valueless attributes (HttpOnly, Secure) map to ''. */
  attributes: Map<string, string>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...parts] = header.split(';');
  const separator = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const [key = '', ...rest] = part.trim().split('=');
    attributes.set(key.toLowerCase(), rest.join('='));
  }
  return { name: pair.slice(0, separator).trim(), value: decodeURIComponent(pair.slice(separator + 1).trim()), attributes };
}

/** A browser's cookie store, reduced to what these tests need: names, values and expiry. */
export interface CookieJar {
  header(): string;
  get(name: string): string | undefined;
  names(): string[];
  store(response: { headers: Headers }, now?: Date): void;
}

export function createCookieJar(): CookieJar {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; '),
    get: (name) => cookies.get(name),
    names: () => [...cookies.keys()],
    store(response, now = new Date()) {
      for (const header of response.headers.getSetCookie()) {
        const cookie = parseSetCookie(header);
        const expires = cookie.attributes.get('expires');
        const expired = cookie.value === '' || (expires !== undefined && new Date(expires) <= now);
        if (expired) cookies.delete(cookie.name);
        else cookies.set(cookie.name, cookie.value);
      }
    },
  };
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Sends its cookies and keeps the ones the response sets. */
  jar?: CookieJar;
  /** The bearer access token to send. */
  token?: string;
  /** The clock used to drop expired cookies from the jar. */
  now?: Date;
}

/** POSTs one GraphQL operation to the app in-process through `yoga.fetch`. */
export async function graphql<TData = Record<string, unknown>>(
  app: App,
  query: string,
  { variables, headers = {}, jar, token, now }: RequestOptions = {},
): Promise<GraphQLResponse<TData>> {
  const requestHeaders: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...headers };
  if (jar && jar.header()) requestHeaders.cookie = jar.header();
  if (token) requestHeaders.authorization = `Bearer ${token}`;
  const response = await app.fetch('http://localhost:4000/graphql', {
    method: 'POST',
    headers: requestHeaders,
    body: JSON.stringify({ query, variables }),
  });
  jar?.store(response, now);
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
