/**
 * A third-party Node program using the auth client with bearer tokens: it logs in once, keeps the
 * session in a file (mode 0600), and lets the exchange refresh the tokens when they expire.
 *
 *   GRAPHQL_URL=http://localhost:4000/graphql EMAIL=ada@example.com PASSWORD='correct horse battery' \
 *     node web/examples/node-bearer-client.ts
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createAuthClient, parseStoredSession, type AuthPayloadInput, type TokenStorage } from '../src/auth/index.ts';

const url = process.env.GRAPHQL_URL ?? 'http://localhost:4000/graphql';
const sessionFile = process.env.SESSION_FILE ?? '.graphql-auth-session.json';

const fileStorage: TokenStorage = {
  async load() {
    try {
      return parseStoredSession(JSON.parse(await readFile(sessionFile, 'utf8')));
    } catch {
      return null;
    }
  },
  save: (session) => writeFile(sessionFile, JSON.stringify(session), { mode: 0o600 }),
  clear: () => rm(sessionFile, { force: true }),
};

const Login = `
  mutation Login($input: LoginInput!) {
    login(input: $input, transport: BEARER) {
      user { id email name }
      accessToken
      refreshToken
      accessTokenExpiresAt
      refreshTokenExpiresAt
    }
  }
`;
const Me = `query Me { me { id email name } }`;

const { client, auth } = createAuthClient({ url, transport: 'bearer', storage: fileStorage });

if ((await auth.ready()).status !== 'logged-in') {
  const input = { email: process.env.EMAIL ?? '', password: process.env.PASSWORD ?? '' };
  const login = await client.mutation<{ login: AuthPayloadInput }>(Login, { input }).toPromise();
  if (!login.data) throw new Error(`login failed: ${login.error?.message}`);
  await auth.setSession(login.data.login);
}

const me = await client.query<{ me: { id: string; email: string; name: string } }>(Me, {}).toPromise();
auth.dispose();
if (!me.data) throw new Error(`me failed: ${me.error?.message}`);
console.log(JSON.stringify(me.data.me));
