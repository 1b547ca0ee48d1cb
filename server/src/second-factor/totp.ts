import { randomBytes } from 'node:crypto';
import { decodeBase32IgnorePadding, encodeBase32NoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI, verifyHOTP } from '@oslojs/otp';

/** RFC 6238 as every authenticator app reads it by default: HMAC-SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one, for a phone whose clock is a little off. */
export const TOTP_DRIFT_STEPS = 1;

/** A new shared secret: 160 bits, the size RFC 4226 recommends for HMAC-SHA-1. */
export function createTotpSecret(): string {
  return encodeBase32NoPadding(randomBytes(20));
}

/** The 30-second step `now` falls in. */
export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The `otpauth://totp/…` URI an authenticator app scans from a QR code. */
export function totpKeyUri(secret: string, { issuer, accountName }: { issuer: string; accountName: string }): string {
  return createTOTPKeyURI(issuer, accountName, decodeBase32IgnorePadding(secret), TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/**
 * The step a six-digit code belongs to, among the current step and one either side, and newer than
 * `after` (the newest step already accepted): a code is accepted once, and never one older than
 * the last accepted. Undefined when it matches none. Each comparison is constant-time.
 */
export function matchingTotpStep(secret: string, code: string, { now, after }: { now: Date; after: number | null }): number | undefined {
  const key = decodeBase32IgnorePadding(secret);
  const current = totpStepAt(now);
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
    if (after !== null && step <= after) continue;
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, code)) return step;
  }
  return undefined;
}
