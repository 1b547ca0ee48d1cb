import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { newAccount, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { createSoftwareAuthenticator } from '@graphql-auth/test-kit/software-authenticator';
import { addPasskey, logInWithPasskey, PASSKEY_LOGIN_OPTIONS, PASSKEY_REGISTRATION_OPTIONS, sendAssertion } from '@graphql-auth/test-kit/passkeys';

const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

function expectRateLimited(response: GraphQLResponse<unknown>) {
  expect(response.status).toBe(429);
  const extensions = response.errors?.[0]?.extensions;
  expect(extensions?.code).toBe('RATE_LIMITED');
  expect(Number.isInteger(extensions?.retryAfter)).toBe(true);
  expect(response.headers.get('retry-after')).toBe(String(extensions?.retryAfter));
}

describe('passkey ceremonies with PASSKEY_LIMIT_IP=4/15m and PASSKEY_REGISTRATION_LIMIT_USER=3/1h', () => {
  let t: TestApp;
  let owner: AuthPayloadData;
  const authenticator = () => createSoftwareAuthenticator({ origin: t.config.publicOrigin });
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true', PASSKEY_LIMIT_IP: '4/15m', PASSKEY_REGISTRATION_LIMIT_USER: '3/1h' });
    owner = (await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } })).data!.signup;
  });
  afterAll(() => t.close());

  it('refuse the fifth ceremony begun from one IP and not finished, while another IP goes on', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) expect((await graphql(t.app, PASSKEY_LOGIN_OPTIONS, from('203.0.113.10'))).errors).toBeUndefined();
    expectRateLimited(await graphql(t.app, PASSKEY_LOGIN_OPTIONS, from('203.0.113.10')));
    expect((await graphql(t.app, PASSKEY_LOGIN_OPTIONS, from('203.0.113.11'))).errors).toBeUndefined();
  });

  it('count failed responses too, and then refuse even a genuine passkey from that IP', async () => {
    const genuine = authenticator();
    await addPasskey(t.app, { token: owner.accessToken!, ...from('198.51.100.1') }, genuine);
    const ip = '203.0.113.20';
    const failed = await sendAssertion(t.app, 'not json', from(ip));
    expect(failed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await logInWithPasskey(t.app, genuine, { ...from(ip), transport: 'BEARER', overrides: { origin: 'https://phishing.example' } })).errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    // Three counted: the malformed response, and the phishing ceremony's options and response. The fourth begins a genuine ceremony.
    const options = await graphql<{ passkeyLoginOptions: string }>(t.app, PASSKEY_LOGIN_OPTIONS, from(ip));
    expect(options.errors).toBeUndefined();
    expectRateLimited(await sendAssertion(t.app, genuine.getAssertion(options.data!.passkeyLoginOptions), { ...from(ip), transport: 'BEARER' }));
    expectRateLimited(await graphql(t.app, PASSKEY_LOGIN_OPTIONS, from(ip)));
  });

  it('take back a finished login: one IP logs in with passkeys more often than the limit', async () => {
    const genuine = authenticator();
    await addPasskey(t.app, { token: owner.accessToken!, ...from('198.51.100.2') }, genuine);
    for (let login = 1; login <= 6; login++) {
      expect((await logInWithPasskey(t.app, genuine, { ...from('203.0.113.30'), transport: 'BEARER' })).errors).toBeUndefined();
    }
  });

  it('limit registrations per account, from whatever address', async () => {
    const account = (await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } })).data!.signup;
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) expect((await graphql(t.app, PASSKEY_REGISTRATION_OPTIONS, { token: account.accessToken!, ...from(ip) })).errors).toBeUndefined();
    expectRateLimited(await graphql(t.app, PASSKEY_REGISTRATION_OPTIONS, { token: account.accessToken!, ...from('192.0.2.4') }));
    // Another account is not held back.
    expect((await graphql(t.app, PASSKEY_REGISTRATION_OPTIONS, { token: owner.accessToken!, ...from('192.0.2.5') })).errors).toBeUndefined();
  });

  it('allow one passkey ceremony per request, however aliased', async () => {
    const aliased = await graphql(t.app, 'mutation { a: passkeyLoginOptions b: passkeyLoginOptions }', from('203.0.113.40'));
    expect(aliased.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(aliased.data ?? null).toBeNull();
    const mixed = await graphql(t.app, 'mutation { passkeyLoginOptions loginWithPasskey(response: "{}") { user { id } } }', from('203.0.113.40'));
    expect(mixed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
