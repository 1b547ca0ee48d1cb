import type { GraphQLContext } from '../builder.ts';
import { badUserInput, forbidden } from '../errors.ts';
import type { AuthPayload, TokenTransport } from '../auth/auth-payload.ts';
import { chargeOrRefuse } from '../auth/login-limits.ts';
import { passkeyAuthenticationOptions, verifyPasskeyAssertion } from '../auth/passkey-authentication.ts';
import { passkeyCharges } from '../auth/passkey-limits.ts';
import { hasPasskeys } from '../auth/passkey-store.ts';
import { completeLoginChallenge, deadChallenge } from './complete-login.ts';
import { challengeHash, findLoginChallenge } from './login-challenge.ts';

/**
 * The WebAuthn request options that let a passkey serve as a second factor: for the account of a
 * login that answered SECOND_FACTOR_REQUIRED (`challenge`), or else for the signed-in account (a
 * step-up). Only that account's passkeys are allowed, and the options' challenge can only be
 * answered for it. Counted per address like every passkey ceremony.
 */
export async function passkeySecondFactorOptions(context: GraphQLContext, { challenge }: { challenge: string | null | undefined }): Promise<string> {
  await chargeOrRefuse(context, 'passkey_login', passkeyCharges(context));
  let userId: string;
  if (challenge === null || challenge === undefined) {
    userId = (await context.viewer()).userId;
  } else {
    const hash = challengeHash(challenge);
    const waiting = hash && (await findLoginChallenge(context.em(), hash, context.now()));
    if (!waiting) throw deadChallenge();
    userId = waiting.userId;
  }
  if (!(await hasPasskeys(context.em(), userId))) throw forbidden('This account has no passkey.');
  return JSON.stringify(await passkeyAuthenticationOptions(context, { userId }));
}

/** `completeLogin` with a passkey: its assertion, for the challenge's account, is the second factor (`hwk`). */
export function completeLoginWithPasskey(
  context: GraphQLContext,
  { challenge, passkeyResponse, transport, presentedDeviceToken }: { challenge: string; passkeyResponse: string; transport: TokenTransport; presentedDeviceToken: string | undefined },
): Promise<AuthPayload> {
  return completeLoginChallenge(context, { challenge, transport, presentedDeviceToken }, async (tx, userId) => {
    // Inside the completing transaction: a login that does not complete spends neither the WebAuthn challenge nor the counter.
    await verifyPasskeyAssertion({ ...context, em: () => tx }, passkeyResponse, { expectedUserId: userId });
    return 'hwk';
  });
}

/** Exactly one of a code and a passkey's response: which second factor the caller presents. */
export function oneFactor({ code, passkeyResponse }: { code: string | null | undefined; passkeyResponse: string | null | undefined }): { code: string } | { passkeyResponse: string } {
  if (typeof code === 'string' && (passkeyResponse === null || passkeyResponse === undefined)) return { code };
  if (typeof passkeyResponse === 'string' && (code === null || code === undefined)) return { passkeyResponse };
  throw badUserInput(code === null || code === undefined ? 'code' : 'passkeyResponse', 'Give either a code or a passkey response, not both.');
}
