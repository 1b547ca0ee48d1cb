import type { EntityManager } from '@mikro-orm/postgresql';
import { hasPasskeys } from '../auth/passkey-store.ts';
import { totpEnabled } from './totp-store.ts';

/** How a person may prove the second factor, as `extensions.methods` names them. */
export type SecondFactorMethod = 'TOTP' | 'RECOVERY_CODE' | 'PASSKEY';

/**
 * The second factors the account has: none means a password alone logs in. Recovery codes
 * belong to the authenticator app (issued with it, deleted with it); a passkey is a factor of its own.
 */
export async function secondFactorMethods(em: EntityManager, userId: string): Promise<SecondFactorMethod[]> {
  // One after the other: `em` may be a transaction, which runs one statement at a time.
  const totp = await totpEnabled(em, userId);
  const passkeys = await hasPasskeys(em, userId);
  return [...(totp ? (['TOTP', 'RECOVERY_CODE'] as const) : []), ...(passkeys ? (['PASSKEY'] as const) : [])];
}
