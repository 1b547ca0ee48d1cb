import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from './support/browser.ts';
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
});
