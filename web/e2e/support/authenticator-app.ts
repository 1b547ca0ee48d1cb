import type { TestClock } from '@graphql-auth/test-kit/clock';
import { totpCode } from '@graphql-auth/test-kit/totp';

/**
 * The code an authenticator app shows for `secret` (base32, grouped with spaces as the security
 * page shows it) at the server's time, `steps` 30-second steps away.
 */
export function codeAtServerTime(secret: string, clock: TestClock, steps = 0): string {
  return totpCode(secret.replace(/\s+/g, ''), clock.now(), steps);
}

/**
 * The next code the server accepts: it takes a code once per 30-second step, so the server's
 * clock moves to the next step first.
 */
export function nextTotpCode(secret: string, clock: TestClock): string {
  clock.advance(30_000);
  return codeAtServerTime(secret, clock);
}
