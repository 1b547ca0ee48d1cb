import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from './support/browser.ts';
import { mailMark, nextLink } from './support/mailbox.ts';
import { totpCode } from '@graphql-auth/test-kit/totp';
import { logInAsProgram, startE2eServer, type E2eServer } from './support/e2e-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The PATH of a shell outside `npm run`: without the node_modules/.bin entries that put Node 24
 * first, so `node` is the system's (Node 20 here), as for someone following the README.
 */
const SYSTEM_PATH = (process.env.PATH ?? '')
  .split(':')
  .filter((entry) => !entry.includes('node_modules'))
  .join(':');

/** A line the example printed: one step of its run. */
interface Step {
  step: string;
  [key: string]: unknown;
}

describe('the typed-client example (bearer tokens, codegen-typed documents) against the real server', () => {
  let server: E2eServer;
  beforeAll(async () => {
    // Short enough that the program outlives its first access token in a couple of seconds.
    server = await startE2eServer({ ACCESS_TOKEN_TTL: '2s' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('runs with npm run example:typed-client from a system Node: logs in, calls me, survives the access token expiring through exactly one refresh, and logs out', async () => {
    const account = newAccount();
    const signup = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation ($input: SignupInput!) { signup(input: $input, transport: BEARER) { user { id } } }', variables: { input: account } }),
    });
    expect(signup.status).toBe(200);

    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'example:typed-client'], {
      cwd: ROOT,
      env: { PATH: SYSTEM_PATH, GRAPHQL_URL: server.graphqlUrl, EMAIL: account.email, PASSWORD: account.password, OUTLIVE_ACCESS_TOKEN: '1' },
      timeout: 30_000,
    });
    const steps = stdout.trim().split('\n').map((line) => JSON.parse(line) as Step);
    expect(steps.map((step) => step.step)).toEqual(['logged-in', 'me', 'waiting-for-expiry', 'me-after-expiry', 'logged-out']);
    expect(steps[1]).toMatchObject({ me: { email: account.email, name: account.name } });
    expect(steps[3]).toMatchObject({ me: { email: account.email }, refreshed: true });
    expect(steps[4]).toMatchObject({ confirmed: true });

    expect(server.count('TypedClientLogin', { status: 200 })).toBe(1);
    expect(server.count('AuthRefresh'), 'one refresh').toBe(1);
    expect(server.count('AuthRefresh', { status: 200 })).toBe(1);
    expect(server.count('TypedClientMe', { status: 200 })).toBe(2);
    expect(server.count('AuthLogout', { status: 200 })).toBe(1);
    const program = server.requests.filter((entry) => entry.operationName?.startsWith('TypedClient') || entry.operationName?.startsWith('Auth'));
    expect(program.every((entry) => entry.origin === null), 'a program, not a browser').toBe(true);
    const [firstMe, secondMe] = program.filter((entry) => entry.operationName === 'TypedClientMe');
    expect(firstMe?.authorization).toMatch(/^Bearer ey/);
    expect(secondMe?.authorization, 'the refreshed access token').toMatch(/^Bearer ey/);
    expect(secondMe?.authorization).not.toBe(firstMe?.authorization);

    // Logged out: the program's session is gone; the sign-up's and a fresh login's remain.
    const accessToken = await logInAsProgram(server, account);
    const sessions = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ query: '{ sessions { id current } }' }),
    });
    const body = (await sessions.json()) as { data: { sessions: { current: boolean }[] } };
    expect(body.data.sessions).toHaveLength(2);
  });

  it('resets a password and proves an address with the emailed tokens, as a program with bearer tokens (npm run example:account-recovery)', async () => {
    const account = newAccount();
    const mark = mailMark(server.mail);
    const signup = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation ($input: SignupInput!) { signup(input: $input, transport: BEARER) { accessToken } }', variables: { input: account } }),
    });
    const { data } = (await signup.json()) as { data: { signup: { accessToken: string } } };
    const recovery = async (...args: string[]) => {
      const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'example:account-recovery', '--', ...args], {
        cwd: ROOT,
        env: { PATH: SYSTEM_PATH, GRAPHQL_URL: server.graphqlUrl },
        timeout: 30_000,
      });
      return stdout.trim().split('\n').map((line) => JSON.parse(line) as Step);
    };

    const verification = await nextLink(server.mail, account.email, '/verify-email', mark);
    const verified = await recovery('verify', verification.link.searchParams.get('token')!);
    expect(verified).toEqual([{ step: 'verified', user: expect.objectContaining({ email: account.email, emailVerified: true }) }]);
    expect(await recovery('verify', verification.link.searchParams.get('token')!), 'a link works once').toEqual([
      { step: 'failed', code: 'BAD_USER_INPUT', field: 'token', message: expect.any(String) },
    ]);

    expect(await recovery('request-reset', account.email)).toEqual([{ step: 'reset-requested', answer: true }]);
    const reset = await nextLink(server.mail, account.email, '/reset-password', mark);
    const newPassword = 'a brand new long passphrase';
    const steps = await recovery('reset', reset.link.searchParams.get('token')!, newPassword);
    expect(steps.map((step) => step.step)).toEqual(['reset', 'me', 'logged-out']);
    expect(steps[1]).toMatchObject({ me: { email: account.email } });
    expect(steps[2]).toMatchObject({ confirmed: true });
    const reset200 = server.requests.find((entry) => entry.operationName === 'TypedClientResetPassword');
    expect(reset200?.origin, 'a program, not a browser').toBeNull();

    // The reset ended the sign-up's session, and the new password is the one that works.
    const me = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${data.signup.accessToken}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(((await me.json()) as { errors: { extensions: { reason: string } }[] }).errors[0]?.extensions.reason).toBe('SESSION_REVOKED');
    const login = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation ($input: LoginInput!) { login(input: $input, transport: BEARER) { user { emailVerified } } }', variables: { input: { email: account.email, password: newPassword } } }),
    });
    expect(await login.json()).toEqual({ data: { login: { user: { emailVerified: true } } } });
  });

  it('finishes a login that answers SECOND_FACTOR_REQUIRED with the code of an authenticator app (TOTP_CODE)', async () => {
    const account = newAccount();
    const call = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => {
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data: T };
    };
    const { signup } = (await call<{ signup: { accessToken: string } }>('mutation ($input: SignupInput!) { signup(input: $input, transport: BEARER) { accessToken } }', { input: account })).data;
    const { secret } = (await call<{ beginTotpEnrollment: { secret: string } }>('mutation { beginTotpEnrollment { secret } }', {}, signup.accessToken)).data.beginTotpEnrollment;
    const confirmed = await call<{ confirmTotpEnrollment: string[] }>('mutation ($code: String!) { confirmTotpEnrollment(code: $code) }', { code: totpCode(secret, server.clock.now()) }, signup.accessToken);
    expect(confirmed.data.confirmTotpEnrollment).toHaveLength(10);
    // The enrolment used this step's code, and a code is accepted once: the program gets the next step's.
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'example:typed-client'], {
      cwd: ROOT,
      env: { PATH: SYSTEM_PATH, GRAPHQL_URL: server.graphqlUrl, EMAIL: account.email, PASSWORD: account.password, TOTP_CODE: totpCode(secret, server.clock.now(), 1) },
      timeout: 30_000,
    });
    const steps = stdout.trim().split('\n').map((line) => JSON.parse(line) as Step);
    expect(steps.map((step) => step.step)).toEqual(['second-factor-required', 'logged-in', 'me', 'logged-out']);
    expect(steps[0]).toEqual({ step: 'second-factor-required', methods: ['TOTP', 'RECOVERY_CODE'] });
    expect(steps[2]).toMatchObject({ me: { email: account.email } });
    expect(server.count('TypedClientCompleteLogin', { status: 200 })).toBe(1);
  });
});
