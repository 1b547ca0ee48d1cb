import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import type { TestClock } from '@graphql-auth/test-kit/clock';

const PERIOD_MS = 30_000;

/**
 * An authenticator app in the test: the code it shows for `secret` (base32, spaces allowed, as the
 * security page shows it) at the server's current time, RFC 6238 with SHA-1, 6 digits, 30 s.
 */
export function totpCode(secret: string, clock: TestClock): string {
  const key = decodeBase32IgnorePadding(secret.replace(/\s+/g, '').toUpperCase());
  return generateHOTP(key, BigInt(Math.floor(clock.now().getTime() / PERIOD_MS)), 6);
}

/**
 * The next code the server accepts: a code is taken once per 30-second step, so the server's clock
 * moves to the next step first.
 */
export function nextTotpCode(secret: string, clock: TestClock): string {
  clock.advance(PERIOD_MS);
  return totpCode(secret, clock);
}
