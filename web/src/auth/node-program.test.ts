import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccount, SIGNUP } from '../../../server/test/support/operations.ts';
import { startAuthTestServer, type AuthTestServer } from './test-support/auth-test-server.ts';
import { expireAccessToken, rawGraphQL } from './test-support/clients.ts';
import { parseStoredSession } from './token-storage.ts';

const example = fileURLToPath(new URL('../../examples/node-bearer-client.ts', import.meta.url));

describe('the README example: a Node program with bearer tokens', () => {
  let server: AuthTestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startAuthTestServer();
    dir = await mkdtemp(join(tmpdir(), 'auth-example-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await server.close();
  });

  it('logs in once, keeps the session in its file, and refreshes it on a later run', async () => {
    const account = newAccount();
    await rawGraphQL(server, SIGNUP, { input: account });
    const sessionFile = join(dir, 'session.json');
    const run = () =>
      promisify(execFile)(process.execPath, [example], {
        env: { ...process.env, GRAPHQL_URL: server.url, SESSION_FILE: sessionFile, EMAIL: account.email, PASSWORD: account.password },
      });

    const first = await run();
    expect(JSON.parse(first.stdout)).toMatchObject({ email: account.email });
    expect(server.count('Login')).toBe(1);
    const stored = parseStoredSession(JSON.parse(await readFile(sessionFile, 'utf8')));
    expect(stored?.refreshToken).toEqual(expect.any(String));

    expireAccessToken(server);
    const second = await run();
    expect(JSON.parse(second.stdout)).toMatchObject({ email: account.email });
    expect(server.count('Login')).toBe(1);
    expect(server.count('AuthRefresh', 200)).toBe(1);
    const rotated = parseStoredSession(JSON.parse(await readFile(sessionFile, 'utf8')));
    expect(rotated?.refreshToken).toEqual(expect.any(String));
    expect(rotated?.refreshToken).not.toBe(stored?.refreshToken);
  });
});
