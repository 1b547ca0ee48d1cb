/** GraphQL over HTTP as the bench sends it: the operations, single calls, and reading the answers. */

/** Every API request's headers: JSON both ways, and yoga's CSRF header. */
export const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/graphql-response+json, application/json',
  'x-graphql-yoga-csrf': '1',
};

export const BASELINE = '{ __typename }';
export const ME = 'query Me { me { id email name avatarUrl createdAt } }';
export const SIGNUP = 'mutation Signup($input: SignupInput!) { signup(input: $input, transport: BEARER) { accessToken refreshToken } }';
export const LOGIN = 'mutation Login($input: LoginInput!) { login(input: $input, transport: BEARER) { accessToken refreshToken } }';
export const REFRESH = 'mutation Refresh($refreshToken: String) { refresh(refreshToken: $refreshToken) { accessToken refreshToken } }';

/** The parts of a response body the bench reads. */
export interface GraphQLBody {
  data?: Record<string, { accessToken?: string | null; refreshToken?: string | null } | null> | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** An account the bench signs up and logs in with. */
export interface Account {
  email: string;
  password: string;
  name: string;
}

/** The JSON request body for `query` (with `variables`, if any). */
export function requestBody(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify(variables ? { query, variables } : { query });
}

/** One request to `${base}/graphql`, with a bearer token if given. */
export async function call(base: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<{ status: number; body: GraphQLBody }> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { ...HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: requestBody(query, variables),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

/** One line about an unexpected answer: the HTTP status and the first GraphQL error, or the start of a body that was no JSON. */
export function describeFailure(status: number, parsed: GraphQLBody | string): string {
  if (typeof parsed === 'string') return `HTTP ${status}: ${parsed.slice(0, 200)}`;
  const error = parsed.errors?.[0];
  return `HTTP ${status}: ${error ? `${error.message} ${JSON.stringify(error.extensions ?? {})}` : 'no data'}`;
}

/**
 * The tokens a `signup`, `login` or `refresh` answer carries in `field`.
 *
 * @throws Error naming the field and the failure when the answer has no tokens.
 */
export async function tokensFrom(field: string, pending: Promise<{ status: number; body: GraphQLBody }>): Promise<Tokens> {
  const { status, body } = await pending;
  const payload = body.data?.[field];
  if (status !== 200 || !payload?.accessToken || !payload.refreshToken) throw new Error(`${field} failed: ${describeFailure(status, body)}`);
  return { accessToken: payload.accessToken, refreshToken: payload.refreshToken };
}

/** Signs `account` up. */
export function signUp(base: string, account: Account): Promise<Tokens> {
  return tokensFrom('signup', call(base, SIGNUP, { input: account }));
}

/** The login request body for `account`, with the right password. */
export function loginBody(account: Account): string {
  return requestBody(LOGIN, { input: { email: account.email, password: account.password } });
}

/** Logs `account` in, which starts a session. */
export function logIn(base: string, account: Account): Promise<Tokens> {
  return tokensFrom('login', call(base, LOGIN, { input: { email: account.email, password: account.password } }));
}

/** A response check that accepts HTTP 200 without errors and with `data[field]`. */
export function dataOk(field: string): (status: number, parsed: GraphQLBody) => true | string {
  return (status, parsed) => (status === 200 && !parsed.errors && parsed.data?.[field] ? true : describeFailure(status, parsed));
}
