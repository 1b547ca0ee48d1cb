import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { expectUnauthenticated, graphql } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, ME, newAccount, REFRESH, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';

const CHANGE_PASSWORD = /* GraphQL */ `
  mutation ($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: $currentPassword, newPassword: $newPassword) }
`;

async function signup(app: TestApp['app']) {
  const account = newAccount();
  const response = await graphql<{ signup: AuthPayloadData }>(app, SIGNUP, { variables: { input: account, transport: 'BEARER' } });
  expect(response.errors).toBeUndefined();
  return { account, accessToken: response.data!.signup.accessToken! };
}

const login = (app: TestApp['app'], email: string, password: string) =>
  graphql<{ login: AuthPayloadData }>(app, LOGIN, { variables: { input: { email, password }, transport: 'BEARER' } });

describe('logins with the old password racing changePassword', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A hash slow enough (cost 8) that logins are still checking the old password while the change commits.
    t = await createTestApp({ BCRYPT_COST: '8', LOGIN_LIMIT_ACCOUNT_IP: 'off', LOGIN_LIMIT_ACCOUNT: 'off', LOGIN_LIMIT_IP: 'off' });
  });
  afterAll(() => t.close());

  it('leave no session alive once the change has committed (three attackers, five rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const { account, accessToken } = await signup(t.app);
      let changed = false;
      const stolen: AuthPayloadData[] = [];
      const attacker = async () => {
        while (!changed) {
          const attempt = await login(t.app, account.email, account.password);
          if (attempt.data?.login) stolen.push(attempt.data.login);
        }
      };
      const attackers = [attacker(), attacker(), attacker()];
      // Let the attackers get going, so some of their checks straddle the change.
      while (stolen.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
      const change = await graphql(t.app, CHANGE_PASSWORD, { token: accessToken, variables: { currentPassword: account.password, newPassword: 'a brand new password' } });
      expect(change.errors).toBeUndefined();
      changed = true;
      await Promise.all(attackers);

      for (const session of stolen) {
        expectUnauthenticated(await graphql(t.app, ME, { token: session.accessToken! }), 'SESSION_REVOKED');
        const refreshed = await graphql(t.app, REFRESH, { variables: { refreshToken: session.refreshToken } });
        expect(refreshed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
      expect((await login(t.app, account.email, account.password)).errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
      expect((await graphql(t.app, ME, { token: accessToken })).errors).toBeUndefined();
    }
  });
});

describe("a login's re-hash racing changePassword", () => {
  let weak: TestApp;
  let strong: TestApp;
  beforeAll(async () => {
    // Accounts made at cost 4; the second instance runs at cost 8, so its logins re-hash them.
    weak = await createTestApp({ BCRYPT_COST: '4', LOGIN_LIMIT_ACCOUNT_IP: 'off', LOGIN_LIMIT_ACCOUNT: 'off', LOGIN_LIMIT_IP: 'off' });
    strong = await weak.createPeer({ BCRYPT_COST: '8', LOGIN_LIMIT_ACCOUNT_IP: 'off', LOGIN_LIMIT_ACCOUNT: 'off', LOGIN_LIMIT_IP: 'off', SIGNUP_LIMIT_IP: 'off', REFRESH_LIMIT_IP: 'off' });
  });
  afterAll(async () => {
    await strong.close();
    await weak.close();
  });

  it('never writes the old password back: afterwards the new one works and the old one does not (five rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const { account, accessToken } = await signup(weak.app);
      const newPassword = `new password ${round}`;
      const [change] = await Promise.all([
        graphql(weak.app, CHANGE_PASSWORD, { token: accessToken, variables: { currentPassword: account.password, newPassword } }),
        ...Array.from({ length: 4 }, () => login(strong.app, account.email, account.password)),
      ]);
      expect(change.errors).toBeUndefined();
      expect((await login(strong.app, account.email, newPassword)).errors).toBeUndefined();
      expect((await login(strong.app, account.email, account.password)).errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    }
  });
});
