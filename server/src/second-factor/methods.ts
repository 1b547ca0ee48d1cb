import type { EntityManager } from '@mikro-orm/postgresql';
import { totpEnabled } from './totp-store.ts';

/** How a person may prove the second factor, as `extensions.methods` names them. */
export type SecondFactorMethod = 'TOTP' | 'RECOVERY_CODE' | 'PASSKEY';

/**
 * The second factors the account has: none means a password alone logs in. Recovery codes
 * belong to the authenticator app (issued with it, deleted with it). Passkeys join this list
 * where they are stored.
 */
export async function secondFactorMethods(em: EntityManager, userId: string): Promise<SecondFactorMethod[]> {
  return (await totpEnabled(em, userId)) ? ['TOTP', 'RECOVERY_CODE'] : [];
}
