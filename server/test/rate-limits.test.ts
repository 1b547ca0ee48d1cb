import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { codeOf, graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, newAccount, REFRESH, SIGNUP, type AuthPayloadData, type Account } from '@graphql-auth/test-kit/operations';

function login(t: TestApp, account: Account, { password = account.password, ip = '203.0.113.1', deviceToken, transport = 'BEARER' }: { password?: string; ip?: string; deviceToken?: string; transport?: string } = {}) {
  return graphql<{ login: AuthPayloadData & { deviceToken: string | null } }>(t.app, LOGIN.replace('refreshTokenExpiresAt', 'refreshTokenExpiresAt deviceToken'), {
    variables: { input: { email: account.email, password, ...(deviceToken ? { deviceToken } : {}) }, transport },
    headers: { 'x-forwarded-for': ip },
  });
}

async function signup(t: TestApp, ip = '198.51.100.1'): Promise<Account> {
  const account = newAccount();
  const response = await graphql(t.app, SIGNUP, { variables: { input: account, transport: 'BEARER' }, headers: { 'x-forwarded-for': ip } });
  expect(response.errors).toBeUndefined();
  return account;
}

function expectRateLimited(response: GraphQLResponse<unknown>) {
  expect(response.status).toBe(429);
  const extensions = response.errors?.[0]?.extensions;
  expect(extensions?.code).toBe('RATE_LIMITED');
  expect(Number.isInteger(extensions?.retryAfter)).toBe(true);
  expect(extensions?.retryAfter).toBeGreaterThan(0);
  expect(response.headers.get('retry-after')).toBe(String(extensions?.retryAfter));
}

describe('failed logins with the default limits (5 per account and IP in 15 minutes)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());

  it('refuses the sixth failure in a row, and then even the right password, with RATE_LIMITED and HTTP 429', async () => {
    const account = await signup(t);
    for (let attempt = 1; attempt <= 5; attempt++) expect(codeOf(await login(t, account, { password: 'wrong password' }))).toBe('INVALID_CREDENTIALS');

    const sixth = await login(t, account, { password: 'wrong password' });
    expectRateLimited(sixth);
    expect(sixth.errors?.[0]?.extensions?.retryAfter).toBeLessThanOrEqual(15 * 60);
    expectRateLimited(await login(t, account));
  });

  it('still lets the owner in from another IP while one IP is limited', async () => {
    const account = await signup(t);
    for (let attempt = 1; attempt <= 6; attempt++) await login(t, account, { password: 'wrong password', ip: '203.0.113.66' });
    expectRateLimited(await login(t, account, { ip: '203.0.113.66' }));
    expect(codeOf(await login(t, account, { ip: '192.0.2.10' }))).toBe('OK');
  });

  it('counts attempts again once the window has passed', async () => {
    const account = await signup(t);
    for (let attempt = 1; attempt <= 6; attempt++) await login(t, account, { password: 'wrong password', ip: '203.0.113.77' });
    t.clock.advance(15 * 60_000 + 1000);
    expect(codeOf(await login(t, account, { ip: '203.0.113.77' }))).toBe('OK');
  });

  it('starts the account+IP count afresh after a successful login', async () => {
    const account = await signup(t);
    for (let attempt = 1; attempt <= 4; attempt++) await login(t, account, { password: 'wrong password', ip: '203.0.113.88' });
    expect(codeOf(await login(t, account, { ip: '203.0.113.88' }))).toBe('OK');
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(codeOf(await login(t, account, { password: 'wrong password', ip: '203.0.113.88' }))).toBe('INVALID_CREDENTIALS');
    }
    expectRateLimited(await login(t, account, { password: 'wrong password', ip: '203.0.113.88' }));
  });

  it('lets exactly five of twenty simultaneous wrong guesses through: the counter has no check-then-write race', async () => {
    const account = await signup(t);
    const answers = await Promise.all(Array.from({ length: 20 }, () => login(t, account, { password: 'wrong password', ip: '203.0.113.99' })));
    const codes = answers.map(codeOf);
    expect(codes.filter((code) => code === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(15);
  });

  it('answers an unknown email the same way, so the limit does not tell which accounts exist', async () => {
    const ghost = newAccount();
    for (let attempt = 1; attempt <= 5; attempt++) expect(codeOf(await login(t, ghost, { ip: '203.0.113.111' }))).toBe('INVALID_CREDENTIALS');
    expectRateLimited(await login(t, ghost, { ip: '203.0.113.111' }));
  });
});

describe('the per-account limit and device tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true', LOGIN_LIMIT_ACCOUNT: '10/1h', LOGIN_LIMIT_ACCOUNT_IP: '100/15m' });
  });
  afterAll(() => t.close());

  it('refuses an account attacked from many IPs, but not a device that logged in to it before', async () => {
    const account = await signup(t);
    const earlier = await login(t, account, { ip: '192.0.2.50' });
    const deviceToken = earlier.data!.login.deviceToken!;
    expect(deviceToken).toBeTruthy();
    const browser = createCookieJar();
    await graphql(t.app, LOGIN, { variables: { input: { email: account.email, password: account.password } }, jar: browser, headers: { 'x-forwarded-for': '192.0.2.51' } });
    expect(browser.names()).toContain('device');

    for (let attempt = 1; attempt <= 10; attempt++) {
      expect(codeOf(await login(t, account, { password: 'wrong password', ip: `198.18.0.${attempt}` }))).toBe('INVALID_CREDENTIALS');
    }
    expectRateLimited(await login(t, account, { ip: '198.18.1.1' }));

    expect(codeOf(await login(t, account, { ip: '192.0.2.50', deviceToken }))).toBe('OK');
    const fromBrowser = await graphql(t.app, LOGIN, {
      variables: { input: { email: account.email, password: account.password } },
      jar: browser,
      headers: { 'x-forwarded-for': '192.0.2.51' },
    });
    expect(codeOf(fromBrowser)).toBe('OK');
  });

  it('does not accept another account\'s device token as an exemption', async () => {
    const owner = await signup(t);
    const stranger = await signup(t);
    const strangersDevice = (await login(t, stranger, { ip: '192.0.2.60' })).data!.login.deviceToken!;
    for (let attempt = 1; attempt <= 10; attempt++) await login(t, owner, { password: 'wrong password', ip: `198.18.2.${attempt}` });
    expectRateLimited(await login(t, owner, { ip: '192.0.2.60', deviceToken: strangersDevice }));
  });
});

describe('limits per IP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true', LOGIN_LIMIT_IP: '3/1h', SIGNUP_LIMIT_IP: '2/1h', REFRESH_LIMIT_IP: '2/1m' });
  });
  afterAll(() => t.close());

  it('refuses failed logins from one IP across accounts beyond its limit', async () => {
    const accounts = [await signup(t, '198.51.100.2'), await signup(t, '198.51.100.3'), await signup(t, '198.51.100.4'), await signup(t, '198.51.100.5')];
    for (const account of accounts.slice(0, 3)) expect(codeOf(await login(t, account, { password: 'wrong password', ip: '203.0.113.5' }))).toBe('INVALID_CREDENTIALS');
    expectRateLimited(await login(t, accounts[3]!, { ip: '203.0.113.5' }));
  });

  it('refuses sign-ups from one IP beyond its limit', async () => {
    const attempt = () => graphql(t.app, SIGNUP, { variables: { input: newAccount() }, headers: { 'x-forwarded-for': '203.0.113.6' } });
    expect(codeOf(await attempt())).toBe('OK');
    expect(codeOf(await attempt())).toBe('OK');
    expectRateLimited(await attempt());
  });

  it('refuses refreshes from one IP beyond its limit', async () => {
    const account = await signup(t, '198.51.100.9');
    let refreshToken = (await login(t, account, { ip: '203.0.113.7' })).data!.login.refreshToken!;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const refreshed = await graphql<{ refresh: AuthPayloadData }>(t.app, REFRESH, { variables: { refreshToken }, headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(codeOf(refreshed)).toBe('OK');
      refreshToken = refreshed.data!.refresh.refreshToken!;
    }
    expectRateLimited(await graphql(t.app, REFRESH, { variables: { refreshToken }, headers: { 'x-forwarded-for': '203.0.113.7' } }));
  });
});

describe('the refresh limit, counted in leases', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true', REFRESH_LIMIT_IP: '2/1m' });
  });
  afterAll(() => t.close());

  const refresh = (refreshToken: string, ip: string) =>
    graphql<{ refresh: AuthPayloadData }>(t.app, REFRESH, { variables: { refreshToken }, headers: { 'x-forwarded-for': ip } });

  it('rotates nothing past the limit: the refused token still works once the window has passed', async () => {
    const account = await signup(t, '198.51.100.20');
    const refreshToken = (await login(t, account, { ip: '203.0.113.20' })).data!.login.refreshToken!;
    const garbage = await refresh('not a refresh token', '203.0.113.20');
    expect(garbage.errors?.[0]?.extensions?.reason).toBe('REFRESH_TOKEN_INVALID');
    const first = await refresh(refreshToken, '203.0.113.20');
    expect(codeOf(first)).toBe('OK');
    // The garbage counted too: this is the third attempt from the address.
    const refused = await refresh(first.data!.refresh.refreshToken!, '203.0.113.20');
    expectRateLimited(refused);
    t.clock.advance(61_000);
    expect(codeOf(await refresh(first.data!.refresh.refreshToken!, '203.0.113.20'))).toBe('OK');
  });
});

describe('X-Forwarded-For without TRUST_PROXY', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is ignored, so forging it does not buy a fresh counter', async () => {
    const account = await signup(t);
    for (let attempt = 1; attempt <= 5; attempt++) await login(t, account, { password: 'wrong password', ip: `203.0.113.${attempt}` });
    expectRateLimited(await login(t, account, { ip: '203.0.113.200' }));
  });
});

describe('counters shared by two instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp({ TRUST_PROXY: 'true' });
    b = await a.createPeer();
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('counts failures on one instance against attempts on the other', async () => {
    const account = await signup(a);
    for (let attempt = 1; attempt <= 3; attempt++) await login(a, account, { password: 'wrong password' });
    for (let attempt = 1; attempt <= 2; attempt++) expect(codeOf(await login(b, account, { password: 'wrong password' }))).toBe('INVALID_CREDENTIALS');
    expectRateLimited(await login(b, account));
    expectRateLimited(await login(a, account));
  });
});

describe('changePassword counts wrong current passwords like failed logins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());

  const CHANGE_PASSWORD = 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
  const change = (token: string, currentPassword: string, ip = '203.0.113.150') =>
    graphql(t.app, CHANGE_PASSWORD, { token, variables: { c: currentPassword, n: 'a new password here' }, headers: { 'x-forwarded-for': ip } });

  async function signedIn(ip = '203.0.113.150') {
    const account = await signup(t, ip);
    const token = (await login(t, account, { ip })).data!.login.accessToken!;
    return { account, token };
  }

  it('refuses the sixth wrong guess with a stolen access token, and then the right password too', async () => {
    const { account, token } = await signedIn();
    for (let attempt = 1; attempt <= 5; attempt++) expect(codeOf(await change(token, `wrong guess ${attempt}`))).toBe('INVALID_CREDENTIALS');
    expectRateLimited(await change(token, 'wrong guess 6'));
    expectRateLimited(await change(token, account.password));
    // The account was not taken over: the old password still logs in from elsewhere.
    expect(codeOf(await login(t, account, { ip: '192.0.2.150' }))).toBe('OK');
  });

  it('shares one count with failed logins from the same address', async () => {
    const { account, token } = await signedIn('203.0.113.151');
    for (let attempt = 1; attempt <= 3; attempt++) await login(t, account, { password: 'wrong password', ip: '203.0.113.151' });
    for (let attempt = 1; attempt <= 2; attempt++) expect(codeOf(await change(token, 'wrong guess', '203.0.113.151'))).toBe('INVALID_CREDENTIALS');
    expectRateLimited(await login(t, account, { ip: '203.0.113.151' }));
    expectRateLimited(await change(token, account.password, '203.0.113.151'));
  });

  it('lets exactly five of forty simultaneous wrong guesses be checked', async () => {
    const { token } = await signedIn('203.0.113.152');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, index) => change(token, `guess ${index}`, '203.0.113.152')));
    const codes = answers.map(codeOf);
    expect(codes.filter((code) => code === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(35);
  });
});

describe('a known device on an address shared with strangers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());

  it("keeps the owner's device logging in while strangers behind the same NAT exhaust the address's own count", async () => {
    const account = await signup(t, '192.0.2.70');
    const deviceToken = (await login(t, account, { ip: '192.0.2.70' })).data!.login.deviceToken!;
    for (let attempt = 1; attempt <= 6; attempt++) await login(t, account, { password: 'wrong password', ip: '192.0.2.70' });
    expectRateLimited(await login(t, account, { ip: '192.0.2.70' }));
    expect(codeOf(await login(t, account, { ip: '192.0.2.70', deviceToken }))).toBe('OK');
  });

  it("still counts the device's own failures in its own bucket", async () => {
    const account = await signup(t, '192.0.2.71');
    const deviceToken = (await login(t, account, { ip: '192.0.2.71' })).data!.login.deviceToken!;
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(codeOf(await login(t, account, { password: 'wrong password', ip: '192.0.2.71', deviceToken }))).toBe('INVALID_CREDENTIALS');
    }
    expectRateLimited(await login(t, account, { ip: '192.0.2.71', deviceToken }));
    // The device's failures did not use up the address's count for everyone else.
    expect(codeOf(await login(t, account, { ip: '192.0.2.71' }))).toBe('OK');
  });

  it('gives a browser device cookie the same exemption', async () => {
    const account = await signup(t, '192.0.2.72');
    const browser = createCookieJar();
    const browserLogin = () =>
      graphql(t.app, LOGIN, { variables: { input: { email: account.email, password: account.password } }, jar: browser, headers: { 'x-forwarded-for': '192.0.2.72' } });
    expect(codeOf(await browserLogin())).toBe('OK');
    for (let attempt = 1; attempt <= 6; attempt++) await login(t, account, { password: 'wrong password', ip: '192.0.2.72' });
    expect(codeOf(await browserLogin())).toBe('OK');
  });
});

describe('a flood of wrong passwords from one address with the limits off', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Hashes slow enough (cost 10) that the flood is still queued when the real user arrives.
    t = await createTestApp({ TRUST_PROXY: 'true', BCRYPT_COST: '10', LOGIN_LIMIT_ACCOUNT_IP: 'off', LOGIN_LIMIT_ACCOUNT: 'off', LOGIN_LIMIT_IP: 'off' });
  });
  afterAll(() => t.close());

  it('is refused in part at once rather than queued, and a real user from another address is served ahead of what is queued', async () => {
    const victim = await signup(t, '192.0.2.80');
    const target = await signup(t, '192.0.2.81');
    const finished: string[] = [];
    let refused = 0;
    const flood = Array.from({ length: 60 }, (_, index) =>
      login(t, target, { password: `guess ${index}`, ip: '203.0.113.180' }).then((response) => {
        finished.push('flood');
        if (codeOf(response) === 'RATE_LIMITED') refused += 1;
        return codeOf(response);
      }),
    );
    // The first refusal means the address's queue is full (16 waiting): the real user arrives behind them.
    while (refused === 0 && finished.length < 60) await new Promise((resolve) => setTimeout(resolve, 5));
    const real = login(t, victim, { ip: '192.0.2.80' }).then((response) => {
      finished.push('victim');
      return codeOf(response);
    });
    const [codes, victimCode] = await Promise.all([Promise.all(flood), real]);
    expect(victimCode).toBe('OK');
    // The address's queue is bounded: the excess is answered RATE_LIMITED without hashing.
    expect(refused).toBeGreaterThan(0);
    expect(codes.every((code) => code === 'RATE_LIMITED' || code === 'INVALID_CREDENTIALS')).toBe(true);
    // Served ahead of the queue, not behind it: of the 16 that waited, all but the few finishing
    // while the real user's own hash ran are answered after it (behind a plain queue: none).
    const floodAfterVictim = finished.length - 1 - finished.indexOf('victim');
    expect(floodAfterVictim).toBeGreaterThanOrEqual(6);
  });
});
