import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { VerifiedRegistrationResponse } from '@simplewebauthn/server';
import { webAuthnLibrary } from '../auth/webauthn-library.ts';
import type { GraphQLContext } from '../builder.ts';
import type { Viewer } from '../auth/request-authentication.ts';
import { recordSecondFactorOnSession } from '../second-factor/step-up.ts';
import { User } from '../database/entities/user.entity.ts';
import { badUserInput } from '../errors.ts';
import { chargeOrRefuse } from '../auth/login-limits.ts';
import { passkeyCharges, settleFinishedCeremony } from '../auth/passkey-limits.ts';
import { parseRegistrationResponse } from '../auth/passkey-response.ts';
import { credentialsOf, insertPasskey, MAX_PASSKEYS_PER_ACCOUNT, userHandleOf, type PasskeySummary } from '../auth/passkey-store.ts';
import { CEREMONY_TTL_MS, PASSKEY_ALGORITHMS, relyingPartyOf } from '../auth/relying-party.ts';
import { rememberChallenge, spendChallenge } from '../auth/webauthn-challenges.ts';

// Control and invisible characters (bidi overrides, zero-width) would make one passkey's name pass for another's.
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** A passkey's name as stored: trimmed, 1 to 64 characters, nothing invisible; else BAD_USER_INPUT on `name`. */
export function validatePasskeyName(name: string): string {
  const trimmed = name.trim();
  const length = [...trimmed].length;
  if (length < 1 || length > 64 || INVISIBLE_OR_CONTROL.test(trimmed)) {
    throw badUserInput('name', 'A passkey name must be 1 to 64 characters, without control or invisible characters.');
  }
  return trimmed;
}

/** One answer for every registration response that does not add a passkey, so none tells why. */
function registrationRefused() {
  return badUserInput('response', 'This passkey could not be registered; start again.');
}

/**
 * Begins adding a passkey to the signed-in account: the creation options for
 * `navigator.credentials.create()`, with a challenge kept for five minutes and bound to the account.
 * The passkey must be discoverable (so it can sign in without an email) and verify its user; the
 * account's passkeys are excluded, so one authenticator is not registered twice.
 */
export async function passkeyRegistrationOptions(context: GraphQLContext, userId: string): Promise<string> {
  const em = context.em();
  await chargeOrRefuse(context, 'passkey_registration', passkeyCharges(context, { registeringUserId: userId }));
  const user = await em.findOne(User, { id: userId });
  if (!user) throw registrationRefused();
  const rp = relyingPartyOf(context.config);
  const { generateRegistrationOptions } = await webAuthnLibrary();
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name,
    userID: new Uint8Array(await userHandleOf(em, userId)),
    timeout: CEREMONY_TTL_MS,
    attestationType: 'none',
    excludeCredentials: (await credentialsOf(em, userId)).map(({ credentialId, transports }) => ({ id: Buffer.from(credentialId).toString('base64url'), transports })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
  });
  await rememberChallenge(em, { challenge: options.challenge, purpose: 'registration', userId, expiresAt: new Date(context.now().getTime() + CEREMONY_TTL_MS) });
  return JSON.stringify(options);
}

/**
 * Finishes adding a passkey: the response must answer an unspent registration challenge of this
 * same account, come from `PUBLIC_ORIGIN` for its host, and carry a verified user. Every refusal
 * is one BAD_USER_INPUT on `response` and adds nothing.
 */
export async function registerPasskey(context: GraphQLContext, viewer: Viewer, input: { response: string; name: string }): Promise<PasskeySummary> {
  const { userId } = viewer;
  const name = validatePasskeyName(input.name);
  const em = context.em();
  const charges = passkeyCharges(context, { registeringUserId: userId });
  await chargeOrRefuse(context, 'passkey_registration', charges);
  const { response, challenge } = parseRegistrationResponse(input.response);
  if (!(await spendChallenge(em, challenge, { purpose: 'registration', userId, now: context.now() }))) {
    context.logger.info({ reason: 'unknown, used or expired challenge' }, 'passkey registration refused');
    throw registrationRefused();
  }
  const rp = relyingPartyOf(context.config);
  let verified: VerifiedRegistrationResponse;
  try {
    const { verifyRegistrationResponse } = await webAuthnLibrary();
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserPresence: true,
      requireUserVerification: true,
      supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
    });
  } catch {
    // The library's message quotes what the client sent; the reason is enough here.
    verified = { verified: false };
  }
  // The id the client names must be the one the authenticator attested.
  if (!verified.verified || verified.registrationInfo.credential.id !== response.id) {
    context.logger.info({ reason: 'attestation, origin or relying party refused' }, 'passkey registration refused');
    throw registrationRefused();
  }
  const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
  const added = await em
    .transactional(async (tx) => {
      const inserted = await insertPasskey(tx, {
        userId,
        credentialId: Buffer.from(credential.id, 'base64url'),
        publicKey: Buffer.from(credential.publicKey),
        signCount: credential.counter,
        transports: response.response.transports ?? [],
        backupEligible: credentialDeviceType === 'multiDevice',
        backedUp: credentialBackedUp,
        name,
        now: context.now(),
      });
      // Its creation proved the authenticator with user verification, as a confirmed app code does; recorded with
      // the passkey, so a request that sees the passkey also sees this session's step-up.
      if (inserted && inserted !== 'full') await recordSecondFactorOnSession(tx, viewer, context.now());
      return inserted;
    })
    .catch((error: unknown) => {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      context.logger.info({ reason: 'credential already registered' }, 'passkey registration refused');
      throw registrationRefused();
    });
  if (added === 'full') throw badUserInput('response', `An account can hold at most ${MAX_PASSKEYS_PER_ACCOUNT} passkeys; remove one first.`);
  if (!added) throw registrationRefused();
  await settleFinishedCeremony(em, charges);
  return added;
}
