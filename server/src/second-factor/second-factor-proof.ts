import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretEnvelope } from '../auth/secret-envelope.ts';
import type { AuthenticationMethod } from '../auth/session-store.ts';
import { spendRecoveryCode } from './recovery-codes.ts';
import type { SecondFactorCode } from './second-factor-code.ts';
import { acceptTotpCode } from './totp-store.ts';

/**
 * Proves a second factor of the user's with a code: an app's code is accepted once (under its row
 * lock), a recovery code is spent. Returns what it proved (`otp` or `rec`), or undefined. Run it
 * in the transaction that acts on the proof, so a rollback leaves the code unspent.
 */
export async function proveWithCode(
  tx: EntityManager,
  envelope: SecretEnvelope | undefined,
  { userId, code, now }: { userId: string; code: SecondFactorCode; now: Date },
): Promise<AuthenticationMethod | undefined> {
  if (code.kind === 'totp') return (await acceptTotpCode(tx, envelope, { userId, code: code.code, now })) ? 'otp' : undefined;
  return (await spendRecoveryCode(tx, userId, code.code)) ? 'rec' : undefined;
}
