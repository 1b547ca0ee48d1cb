/**
 * Account recovery and email verification from a third-party program with bearer tokens: the
 * links the server emails carry a token (`…/reset-password?token=…`, `…/verify-email?token=…`),
 * and a program that has it (pasted by its user, or read from a mailbox) calls the API with it.
 * It prints one JSON line per step.
 *
 *   npm run --silent example:account-recovery -- request-reset ada@example.com
 *   npm run --silent example:account-recovery -- reset '<token from the email>' 'a new long password'
 *   npm run --silent example:account-recovery -- verify '<token from the email>'
 *
 * `reset` logs in with the new password's session (bearer tokens, every other session of the
 * account ended), shows `me` and logs out again. GRAPHQL_URL defaults to http://localhost:4000/graphql.
 */
import { createAuthClient } from '../../../web/src/auth/index.ts';
import { MeQuery, RequestPasswordResetMutation, ResetPasswordMutation, VerifyEmailMutation } from './documents.ts';

const url = process.env.GRAPHQL_URL ?? 'http://localhost:4000/graphql';
const [command, ...args] = process.argv.slice(2);

const report = (step: string, details: Record<string, unknown> = {}) => console.log(JSON.stringify({ step, ...details }));

const { client, auth } = createAuthClient({ url, transport: 'bearer' });

/** The error's code (`BAD_USER_INPUT`, `RATE_LIMITED`, …), which is what a program acts on. */
function failure(error: { graphQLErrors: readonly { extensions: Record<string, unknown> }[]; message: string } | undefined) {
  const extensions = error?.graphQLErrors[0]?.extensions;
  return { code: extensions?.code ?? 'NETWORK_ERROR', field: extensions?.field, retryAfter: extensions?.retryAfter, message: error?.message };
}

async function requestReset(email: string) {
  const result = await client.mutation(RequestPasswordResetMutation, { email }).toPromise();
  if (!result.data) return report('failed', failure(result.error));
  report('reset-requested', { answer: result.data.requestPasswordReset });
}

async function reset(token: string, newPassword: string) {
  const result = await client.mutation(ResetPasswordMutation, { token, newPassword }).toPromise();
  if (!result.data) return report('failed', failure(result.error));
  await auth.setSession(result.data.resetPassword);
  report('reset', { user: result.data.resetPassword.user });
  const me = await client.query(MeQuery, {}, { requestPolicy: 'network-only' }).toPromise();
  report('me', { me: me.data?.me });
  report('logged-out', { confirmed: await auth.logout() });
}

async function verify(token: string) {
  const result = await client.mutation(VerifyEmailMutation, { token }).toPromise();
  if (!result.data) return report('failed', failure(result.error));
  report('verified', { user: result.data.verifyEmail });
}

try {
  if (command === 'request-reset' && args.length === 1) await requestReset(args[0]!);
  else if (command === 'reset' && args.length === 2) await reset(args[0]!, args[1]!);
  else if (command === 'verify' && args.length === 1) await verify(args[0]!);
  else {
    console.error('usage: account-recovery request-reset EMAIL | reset TOKEN NEW_PASSWORD | verify TOKEN');
    process.exitCode = 2;
  }
} finally {
  auth.dispose();
}
