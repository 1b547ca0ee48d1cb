/**
 * A third-party program using the API with bearer tokens and codegen-typed documents: it logs in,
 * asks who it is, keeps working past the access token's expiry (the client refreshes by itself,
 * once), and logs out. It prints one JSON line per step.
 *
 *   GRAPHQL_URL=http://localhost:4000/graphql EMAIL=ada@example.com PASSWORD='correct horse battery' \
 *     npm run --silent example:typed-client
 *
 * OUTLIVE_ACCESS_TOKEN=1 makes it wait until the access token expired before asking again (start
 * the server with ACCESS_TOKEN_TTL=5s to watch that without waiting 15 minutes).
 *
 * For an account with an authenticator app, login answers SECOND_FACTOR_REQUIRED with a challenge;
 * the program then asks for a code (or takes TOTP_CODE) and finishes with completeLogin.
 */
import { createAuthClient } from '../../../web/src/auth/index.ts';
import { createInterface } from 'node:readline/promises';
import { CompleteLoginMutation, LoginMutation, MeQuery } from './documents.ts';

const url = process.env.GRAPHQL_URL ?? 'http://localhost:4000/graphql';
const email = process.env.EMAIL ?? '';
const password = process.env.PASSWORD ?? '';
const outliveAccessToken = process.env.OUTLIVE_ACCESS_TOKEN === '1';

const report = (step: string, details: Record<string, unknown> = {}) => console.log(JSON.stringify({ step, ...details }));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Bearer transport: `Authorization: Bearer …` on every request, `refresh(refreshToken: …)` when the
// access token is about to expire or has, and the rotated pair kept (here in memory).
const { client, auth } = createAuthClient({ url, transport: 'bearer' });

async function whoAmI() {
  const result = await client.query(MeQuery, {}, { requestPolicy: 'network-only' }).toPromise();
  if (!result.data) throw new Error(`me failed: ${result.error?.message}`);
  return result.data.me;
}

/** A code from the person's authenticator app (or a recovery code): TOTP_CODE, else asked for on the terminal. */
async function askForCode(): Promise<string> {
  if (process.env.TOTP_CODE) return process.env.TOTP_CODE;
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await terminal.question('Code from your authenticator app (or a recovery code): ')).trim();
  } finally {
    terminal.close();
  }
}

/** Logs in; when the account has a second factor, finishes with a code. Answers the session's payload. */
async function logIn() {
  const login = await client.mutation(LoginMutation, { input: { email, password } }).toPromise();
  if (login.data) return login.data.login;
  const second = login.error?.graphQLErrors.find((error) => error.extensions.code === 'SECOND_FACTOR_REQUIRED');
  if (!second || typeof second.extensions.challenge !== 'string') throw new Error(`login failed: ${login.error?.message}`);
  report('second-factor-required', { methods: second.extensions.methods });
  const completed = await client.mutation(CompleteLoginMutation, { challenge: second.extensions.challenge, code: await askForCode() }).toPromise();
  if (!completed.data) throw new Error(`completeLogin failed: ${completed.error?.message}`);
  return completed.data.completeLogin;
}

try {
  const session = await logIn();
  await auth.setSession(session);
  report('logged-in', { user: session.user, accessTokenExpiresAt: session.accessTokenExpiresAt });

  report('me', { me: await whoAmI() });

  if (outliveAccessToken) {
    const expiresAt = auth.getState().accessTokenExpiresAt;
    const wait = expiresAt ? Math.max(0, expiresAt.getTime() - Date.now()) + 250 : 0;
    report('waiting-for-expiry', { ms: wait });
    await sleep(wait);
    const generation = auth.getState().generation;
    const me = await whoAmI();
    report('me-after-expiry', { me, refreshed: auth.getState().generation > generation });
  }

  report('logged-out', { confirmed: await auth.logout() });
} finally {
  auth.dispose();
}
