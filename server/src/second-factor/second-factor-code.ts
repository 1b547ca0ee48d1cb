import { badUserInput } from '../errors.ts';

/** What a person typed as a second factor: a six-digit code from the app, or a recovery code. */
export type SecondFactorCode = { kind: 'totp'; code: string } | { kind: 'recovery'; code: string };

/** Longer than any code with generous spacing: anything past it is not a code, and is not worked on. */
const MAX_CODE_LENGTH = 64;
const TOTP_CODE = /^\d{6}$/;
/** Recovery codes are 16 characters of RFC 4648 base32 (no 0, 1, 8 or 9: nothing to mistake for a letter). */
const RECOVERY_CODE = /^[a-z2-7]{16}$/;

/**
 * Tells the two kinds apart by shape: spaces and hyphens (as codes are grouped for reading) are
 * ignored, letters are case-insensitive. Anything of neither shape is `BAD_USER_INPUT` naming
 * `field`, before it costs a try or touches a counter.
 */
export function parseSecondFactorCode(field: string, raw: string): SecondFactorCode {
  const compact = raw.length > MAX_CODE_LENGTH ? undefined : raw.replace(/[\s-]/g, '').toLowerCase();
  if (compact !== undefined && TOTP_CODE.test(compact)) return { kind: 'totp', code: compact };
  if (compact !== undefined && RECOVERY_CODE.test(compact)) return { kind: 'recovery', code: compact };
  throw badUserInput(field, 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.');
}

/** Only an app's code: what confirms an enrolment. */
export function parseTotpCode(field: string, raw: string): string {
  const parsed = parseSecondFactorCode(field, raw);
  if (parsed.kind !== 'totp') throw badUserInput(field, 'Enter the 6-digit code your authenticator app shows.');
  return parsed.code;
}
