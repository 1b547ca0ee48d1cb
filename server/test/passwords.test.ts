import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bcrypt from 'bcrypt';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { graphql } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, newAccount, SIGNUP } from '@graphql-auth/test-kit/operations';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('password checks', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A cost where one hash takes milliseconds, so the comparison is measurable; no limits in the way.
    t = await createTestApp({ BCRYPT_COST: '8', LOGIN_LIMIT_ACCOUNT_IP: 'off', LOGIN_LIMIT_ACCOUNT: 'off', LOGIN_LIMIT_IP: 'off' });
  });
  afterAll(() => t.close());

  it('spend about as long on an unknown email as on a wrong password (loosely, within 2x over several tries)', async () => {
    const account = newAccount();
    await graphql(t.app, SIGNUP, { variables: { input: account } });
    const timeLogin = async (email: string) => {
      const started = performance.now();
      const response = await graphql(t.app, LOGIN, { variables: { input: { email, password: 'not the password' } } });
      expect(response.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
      return performance.now() - started;
    };
    const wrongPassword: number[] = [];
    const unknownEmail: number[] = [];
    for (let round = 0; round < 7; round++) {
      wrongPassword.push(await timeLogin(account.email));
      unknownEmail.push(await timeLogin(`nobody-${round}@example.com`));
    }
    const ratio = median(unknownEmail) / median(wrongPassword);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('bcrypt cost upgrades', () => {
  let weak: TestApp;
  let strong: TestApp;
  beforeAll(async () => {
    weak = await createTestApp({ BCRYPT_COST: '4' });
    strong = await weak.createPeer({ BCRYPT_COST: '6' });
  });
  afterAll(async () => {
    await strong.close();
    await weak.close();
  });

  it('re-hashes a password at login once BCRYPT_COST has risen, and the password keeps working', async () => {
    const account = newAccount();
    await graphql(weak.app, SIGNUP, { variables: { input: account } });
    const storedHash = async () =>
      (await weak.orm.em.fork().execute<{ password_hash: string }[]>('select password_hash from users where email = ?', [account.email]))[0]!
        .password_hash;
    expect(bcrypt.getRounds(await storedHash())).toBe(4);

    const login = await graphql(strong.app, LOGIN, { variables: { input: { email: account.email, password: account.password } } });
    expect(login.errors).toBeUndefined();
    expect(bcrypt.getRounds(await storedHash())).toBe(6);

    const again = await graphql(weak.app, LOGIN, { variables: { input: { email: account.email, password: account.password } } });
    expect(again.errors).toBeUndefined();
    expect(bcrypt.getRounds(await storedHash())).toBe(6);
  });
});
