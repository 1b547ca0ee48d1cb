import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';

/** The code an authenticator app shows at `at`, `steps` 30-second steps away, computed as RFC 6238 says. */
export function totpCode(secret: string, at: Date, steps = 0): string {
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(at.getTime() / 30_000) + steps), 6);
}
