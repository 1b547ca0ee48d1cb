import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { expectUnauthenticated, graphql } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, ME, newAccount, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { SERVER_DIR } from '@graphql-auth/test-kit/server-process';

const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

describe('device tokens across a key rotation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true', REVOCATION_CATCH_UP: '1s' });
  });
  afterAll(() => t.close());

  const login = (email: string, password: string, deviceToken?: string) =>
    graphql<{ login: AuthPayloadData & { deviceToken: string | null } }>(t.app, LOGIN.replace('refreshTokenExpiresAt', 'refreshTokenExpiresAt deviceToken'), {
      variables: { input: { email, password, ...(deviceToken ? { deviceToken } : {}) }, transport: 'BEARER' },
      headers: { 'x-forwarded-for': '192.0.2.90' },
    });

  it('keep exempting their device for their whole lifetime after npm run keys:rotate, once the old key no longer verifies access tokens', { timeout: 30_000 }, async () => {
    const account = newAccount();
    await graphql(t.app, SIGNUP, { variables: { input: account, transport: 'BEARER' } });
    const first = (await login(account.email, account.password)).data!.login;
    const deviceToken = first.deviceToken!;
    const oldKid = kidOf(first.accessToken!);

    const rotation = spawnSync(process.execPath, ['src/rotate-keys.ts'], {
      cwd: SERVER_DIR,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: t.databaseUrl, KEY_ENCRYPTION_SECRET: t.config.keyEncryptionSecret! },
      encoding: 'utf8',
    });
    expect(rotation.status).toBe(0);

    // Past the old key's last access token, and well into the device token's 180 days.
    t.clock.advance(30 * 86_400_000);
    let answer = await graphql(t.app, ME, { token: first.accessToken! });
    for (let tries = 0; tries < 60 && answer.errors?.[0]?.extensions?.reason !== 'TOKEN_INVALID'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await graphql(t.app, ME, { token: first.accessToken! });
    }
    // The retired key verifies no access token any more (the token is judged invalid, not merely expired)...
    expectUnauthenticated(answer, 'TOKEN_INVALID');
    const jwks = (await (await t.app.fetch('http://localhost/.well-known/jwks.json')).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).not.toContain(oldKid);

    // ...yet a stranger on the same address who exhausts its count does not lock the known device out.
    for (let attempt = 1; attempt <= 6; attempt++) await login(account.email, 'wrong password');
    expect((await login(account.email, account.password)).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const withDevice = await login(account.email, account.password, deviceToken);
    expect(withDevice.errors).toBeUndefined();
    expect(kidOf(withDevice.data!.login.accessToken!)).not.toBe(oldKid);
  });
});
