import type { PublicKeyCredentialRequestOptionsJSON, VerifiedAuthenticationResponse } from '@simplewebauthn/server';
import { webAuthnLibrary } from './webauthn-library.ts';
import type { GraphQLContext } from '../builder.ts';
import { User } from '../database/entities/user.entity.ts';
import { emailNotVerified, invalidCredentials } from '../errors.ts';
import { deliverTokens, type AuthPayload, type TokenTransport } from './auth-payload.ts';
import { chargeOrRefuse } from './login-limits.ts';
import { passkeyCharges, settleFinishedCeremony } from './passkey-limits.ts';
import { parseAuthenticationResponse } from './passkey-response.ts';
import { credentialsOf, findPasskeyByCredentialId, recordPasskeyUse } from './passkey-store.ts';
import { CEREMONY_TTL_MS, relyingPartyOf } from './relying-party.ts';
import { startSessionHere } from './start-session-here.ts';
import { rememberChallenge, spendChallenge } from './webauthn-challenges.ts';

/** What the ceremony functions need of a request: its unit of work, the configuration, the clock and the log. */
export type CeremonyContext = Pick<GraphQLContext, 'em' | 'config' | 'now' | 'logger'>;

/** One answer for every assertion that does not prove a passkey, so none tells why. */
export function passkeyNotAccepted() {
  return invalidCredentials('This passkey was not accepted.', 'response');
}

/**
 * The request options for `navigator.credentials.get()`, with a challenge kept for five minutes.
 * Without `userId` (a login with a passkey alone) nothing is allowed by name: the browser offers
 * the discoverable passkeys it holds for this site. With `userId` (a second factor after a
 * password) the account's passkeys are allowed, and the challenge can only be spent with that
 * account as `expectedUserId`.
 */
export async function passkeyAuthenticationOptions(context: CeremonyContext, { userId }: { userId?: string } = {}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const em = context.em();
  const allowCredentials = userId === undefined ? [] : (await credentialsOf(em, userId)).map(({ credentialId, transports }) => ({ id: Buffer.from(credentialId).toString('base64url'), transports }));
  const { generateAuthenticationOptions } = await webAuthnLibrary();
  const options = await generateAuthenticationOptions({
    rpID: relyingPartyOf(context.config).id,
    allowCredentials,
    timeout: CEREMONY_TTL_MS,
    userVerification: 'required',
  });
  await rememberChallenge(em, { challenge: options.challenge, purpose: 'authentication', userId: userId ?? null, expiresAt: new Date(context.now().getTime() + CEREMONY_TTL_MS) });
  return options;
}

/**
 * Checks an assertion (the JSON of `navigator.credentials.get()`'s result) and records the use:
 * the challenge spent once (issued for `expectedUserId`, or for a discoverable login without it),
 * the credential known and, with `expectedUserId`, that account's; the user handle the
 * authenticator returned the account's; origin, relying party, user verification and signature
 * right; the signature counter moving forward. A counter that does not (a possible clone) is
 * logged as a warning. Malformed JSON is BAD_USER_INPUT on `response`; every other refusal is
 * one INVALID_CREDENTIALS and changes nothing but the spent challenge.
 */
export async function verifyPasskeyAssertion(
  context: CeremonyContext,
  responseJson: string,
  { expectedUserId }: { expectedUserId?: string } = {},
): Promise<{ userId: string; credentialId: string }> {
  const em = context.em();
  const { response, challenge } = parseAuthenticationResponse(responseJson);
  const refuse = (reason: string, details: Record<string, unknown> = {}) => {
    context.logger.info({ reason, ...details }, 'passkey assertion refused');
    return passkeyNotAccepted();
  };
  if (!(await spendChallenge(em, challenge, { purpose: 'authentication', userId: expectedUserId ?? null, now: context.now() }))) throw refuse('unknown, used or expired challenge');
  const passkey = await findPasskeyByCredentialId(em, Buffer.from(response.rawId, 'base64url'));
  if (!passkey) throw refuse('unknown credential');
  if (expectedUserId !== undefined && passkey.userId !== expectedUserId) throw refuse('credential of another account', { passkeyId: passkey.id });
  const userHandle = response.response.userHandle;
  // A discoverable login names its account only through the user handle, so it must be there.
  if (userHandle === undefined ? expectedUserId === undefined : !passkey.userHandle.equals(Buffer.from(userHandle, 'base64url'))) {
    throw refuse('user handle missing or of another account', { passkeyId: passkey.id });
  }
  const rp = relyingPartyOf(context.config);
  let verified: VerifiedAuthenticationResponse | undefined;
  try {
    const { verifyAuthenticationResponse } = await webAuthnLibrary();
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // The counter is compared below, in the same statement that stores it.
      credential: { id: response.rawId, publicKey: new Uint8Array(passkey.publicKey), counter: 0, transports: passkey.transports },
      requireUserVerification: true,
    });
  } catch {
    // The library's message quotes what the client sent; the reason is enough here.
    verified = undefined;
  }
  if (!verified?.verified) throw refuse('signature, origin, relying party or user verification refused', { passkeyId: passkey.id });
  const { newCounter, credentialBackedUp } = verified.authenticationInfo;
  if (!(await recordPasskeyUse(em, { id: passkey.id, signCount: newCounter, backedUp: credentialBackedUp, now: context.now() }))) {
    context.logger.warn({ passkeyId: passkey.id, userId: passkey.userId, storedCount: passkey.signCount, presentedCount: newCounter }, 'passkey signature counter did not move forward: possibly a cloned authenticator');
    throw passkeyNotAccepted();
  }
  return { userId: passkey.userId, credentialId: response.rawId };
}

/** Begins a login with a passkey alone: the options, counted per IP. */
export async function passkeyLoginOptions(context: GraphQLContext): Promise<string> {
  await chargeOrRefuse(context, 'passkey_login', passkeyCharges(context));
  return JSON.stringify(await passkeyAuthenticationOptions(context));
}

/**
 * Logs in with a passkey alone (no email typed): the assertion verified, then a session started
 * and its tokens handed over exactly as `login` does. With `REQUIRE_EMAIL_VERIFICATION`, an
 * unverified account answers `EMAIL_NOT_VERIFIED`, as after a right password.
 */
export async function logInWithPasskey(context: GraphQLContext, responseJson: string, transport: TokenTransport): Promise<AuthPayload> {
  const em = context.em();
  const charges = passkeyCharges(context);
  await chargeOrRefuse(context, 'passkey_login', charges);
  const { userId } = await verifyPasskeyAssertion(context, responseJson);
  const user = await em.findOne(User, { id: userId });
  if (!user) throw passkeyNotAccepted();
  await settleFinishedCeremony(em, charges);
  if (context.config.requireEmailVerification && !user.emailVerified) throw emailNotVerified();
  // A passkey with user verification is something held and something known or been: two factors.
  const issued = await em.transactional(async (tx) => startSessionHere(tx, context, user.id, ['hwk']));
  return deliverTokens(context, user, issued, transport, { rememberDevice: true });
}
