import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLErrorBody } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, newAccount, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { serveTestApp } from '@graphql-auth/test-kit/test-app';

const SESSIONS = /* GraphQL */ `query { sessions { ip current } }`;

/** The app behind a real socket, so the socket address (127.0.0.1) is there to fall back on. */
async function serve(env: Record<string, string>) {
  const t = await serveTestApp(env);
  const url = `${t.origin}/graphql`;
  const post = async <TData>(query: string, { variables, forwardedFor, token }: { variables?: object; forwardedFor?: string; token?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as { data?: TData; errors?: GraphQLErrorBody[] };
  };
  return { t, post, close: () => t.close() };
}

type Served = Awaited<ReturnType<typeof serve>>;

async function signupFrom(served: Served, forwardedFor?: string) {
  const account = newAccount();
  const result = await served.post<{ signup: AuthPayloadData }>(SIGNUP, { variables: { input: account, transport: 'BEARER' }, forwardedFor });
  expect(result.errors).toBeUndefined();
  return { account, accessToken: result.data!.signup.accessToken! };
}

async function recordedIp(served: Served, forwardedFor?: string) {
  const { accessToken } = await signupFrom(served, forwardedFor);
  const listed = await served.post<{ sessions: { ip: string | null; current: boolean }[] }>(SESSIONS, { token: accessToken });
  return listed.data!.sessions.find((session) => session.current)!.ip;
}

describe('the client address behind TRUST_PROXY=true (one proxy hop)', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve({ TRUST_PROXY: 'true' });
  });
  afterAll(() => served.close());

  it('takes the entry the proxy appended (the rightmost), not one the client wrote in front of it', async () => {
    // nginx's $proxy_add_x_forwarded_for keeps what the client sent and appends the address it saw.
    expect(await recordedIp(served, '6.6.6.6, 198.51.100.20')).toBe('198.51.100.20');
    // A proxy that replaces the header sends only the address it saw.
    expect(await recordedIp(served, '198.51.100.21')).toBe('198.51.100.21');
  });

  it('falls back to the socket address when the trusted entry is not an IP address', async () => {
    expect(await recordedIp(served, '198.51.100.22, fake-ip-<b>hi</b>')).toBe('127.0.0.1');
    expect(await recordedIp(served, '')).toBe('127.0.0.1');
    expect(await recordedIp(served)).toBe('127.0.0.1');
  });

  it('limits guesses from one address however the client varies the entries in front of it', async () => {
    const { account } = await signupFrom(served, '192.0.2.200');
    const codes: string[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const result = await served.post(LOGIN, {
        variables: { input: { email: account.email, password: 'wrong password' } },
        forwardedFor: `10.9.8.${attempt}, 203.0.113.40`,
      });
      codes.push(String(result.errors?.[0]?.extensions?.code));
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    expect(new Set(codes.slice(5))).toEqual(new Set(['RATE_LIMITED']));
  });

  it("cannot lock the owner out by writing the owner's address in front of its own", async () => {
    const { account } = await signupFrom(served, '192.0.2.201');
    for (let attempt = 0; attempt < 8; attempt++) {
      await served.post(LOGIN, { variables: { input: { email: account.email, password: 'wrong password' } }, forwardedFor: '192.0.2.201, 203.0.113.41' });
    }
    const owner = await served.post(LOGIN, { variables: { input: { email: account.email, password: account.password } }, forwardedFor: '192.0.2.201' });
    expect(owner.errors).toBeUndefined();
  });
});

describe('the client address behind TRUST_PROXY=2 (two proxy hops)', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve({ TRUST_PROXY: '2' });
  });
  afterAll(() => served.close());

  it('takes the entry two from the right, and the socket address when the request skipped a proxy', async () => {
    expect(await recordedIp(served, '6.6.6.6, 198.51.100.30, 10.0.0.2')).toBe('198.51.100.30');
    expect(await recordedIp(served, '198.51.100.31, 10.0.0.2')).toBe('198.51.100.31');
    expect(await recordedIp(served, '10.0.0.2')).toBe('127.0.0.1');
  });
});

describe('the client address without TRUST_PROXY', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve({});
  });
  afterAll(() => served.close());

  it('ignores X-Forwarded-For entirely', async () => {
    expect(await recordedIp(served, '198.51.100.40')).toBe('127.0.0.1');
  });
});
