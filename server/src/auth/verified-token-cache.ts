import { CLOCK_SKEW_SECONDS, verifyAccessToken, type AccessTokenClaims, type AccessTokenFailure, type TokenAudience } from './access-token.ts';
import type { KeyRing } from './signing-keys.ts';


/**
 * Remembers access tokens that verified, until they expire: a signature check costs 0.1-0.2 ms, a
 * Map lookup next to nothing. Revocation is still checked on every request (it is not cached here),
 * and a new key ring (rotation, removal) empties the cache, so a removed key's tokens fail at once.
 */
export function createVerifiedTokenCache(maxEntries = 10_000) {
  const verified = new Map<string, AccessTokenClaims>();
  let verifiedWith: KeyRing | undefined;

  return function verifyCached(
    keys: KeyRing,
    token: string,
    options: TokenAudience & { now: Date },
  ): AccessTokenClaims | AccessTokenFailure {
    if (keys !== verifiedWith) {
      verified.clear();
      verifiedWith = keys;
    }
    const known = verified.get(token);
    if (known) {
      // Expired once exp lies more than the allowed skew in the past, as verification decides.
      if (known.expiresAt.getTime() / 1000 > Math.floor(options.now.getTime() / 1000) - CLOCK_SKEW_SECONDS) return known;
      verified.delete(token);
      return 'TOKEN_EXPIRED';
    }
    const claims = verifyAccessToken(keys, token, options);
    if (typeof claims !== 'string') {
      // Oldest first out: a Map iterates in insertion order.
      if (verified.size >= maxEntries) verified.delete(verified.keys().next().value!);
      verified.set(token, claims);
    }
    return claims;
  };
}
