import type { CombinedError } from '@urql/core';

/** What a form shows for a failed operation. */
export interface FormErrors {
  /** About the whole form, shown above its button. */
  form?: string;
  /** By input name, shown under that input. */
  fields: Record<string, string>;
  /** `RATE_LIMITED`: seconds until the server accepts another attempt. */
  retryAfterSeconds?: number;
}

/** Why the client is logged out (a server reason, or `LOGGED_OUT`), as the login page explains it. */
const SESSION_ENDED: Record<string, string> = {
  LOGGED_OUT: 'You have been logged out.',
  SESSION_REVOKED: 'Your session was ended from another device. Please log in again.',
  SESSION_EXPIRED: 'Your session expired. Please log in again.',
  REFRESH_TOKEN_REUSED: 'For your security, your session was ended because its credentials were used twice. Please log in again.',
  REFRESH_TOKEN_INVALID: 'Your session is no longer valid. Please log in again.',
  TOKEN_INVALID: 'Your session is no longer valid. Please log in again.',
  ACCOUNT_DELETED: 'Your account was deleted, and you were logged out.',
};

/** `extensions.reason` of `UNAUTHENTICATED` errors, for messages inside the app. */
const UNAUTHENTICATED: Record<string, string> = {
  ...SESSION_ENDED,
  TOKEN_MISSING: 'You are not logged in. Please log in.',
  TOKEN_EXPIRED: 'Your session needed renewing. Please try again.',
};

/** An emailed link's token refused: the server says the same for unknown, used, replaced and expired ones. */
export const INVALID_LINK = 'This link is no longer valid: it was already used, a newer one replaced it, or it expired.';

/** `BAD_USER_INPUT` by `extensions.field`: what a valid value looks like. */
const FIELD_RULES: Record<string, string> = {
  email: 'Enter a valid email address, like ada@example.com.',
  password: 'Use 8 to 128 characters.',
  newPassword: 'Use 8 to 128 characters.',
  currentPassword: 'Enter your current password.',
  name: 'Enter a name of 1 to 100 characters.',
  avatarUrl: 'Enter an image address starting with https:// (at most 2048 characters).',
  newEmail: 'Enter a valid email address, like ada@example.com.',
  token: INVALID_LINK,
  code: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.',
  response: 'Your passkey could not be used. Please try again.',
};

/** What a valid value of `field` looks like, for the forms' own checks. */
export function fieldRule(field: 'email' | 'password' | 'name' | 'code'): string {
  return FIELD_RULES[field] ?? '';
}

const EMAIL_NOT_VERIFIED =
  'Your email address is not verified yet: follow the link in the newest email we sent to it, then log in again. No email? Reset your password, which proves the address too.';
/** A login challenge that expired, was used up by wrong codes, or was already spent. */
export const LOGIN_EXPIRED = 'Your login timed out or had too many wrong codes. Please log in again.';
const WRONG_CODE = 'That code is not right. Enter the current code from your authenticator app, or an unused recovery code.';
const PASSKEY_REFUSED = 'This passkey was not accepted. Try another one, or use a code.';
/** `STEP_UP_REQUIRED`, once the user chose not to prove a second factor. */
export const STEP_UP_NEEDED = 'For your security, this change needs your second factor: confirm it is you, then try again.';
const SECOND_FACTOR_NEEDED = 'Your password was right: finish logging in with your second factor.';
const NETWORK = 'Cannot reach the server. Check your connection and try again.';
const UNAVAILABLE = 'The service is temporarily unavailable. Please try again in a moment.';
const UNEXPECTED = 'Something went wrong on our side. Please try again.';

/** The message of a session that ended for `reason`; none for a visitor who was never logged in. */
export function sessionEndedMessage(reason: string | null): string | undefined {
  return reason ? SESSION_ENDED[reason] : undefined;
}

/** "45 seconds", "1 minute", "14 min 5 s": how long until `RATE_LIMITED` lifts. */
export function formatWait(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  if (whole < 60) return `${whole} ${whole === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (rest === 0) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  return `${minutes} min ${rest} s`;
}

/** The text of `RATE_LIMITED`, with the time left. */
export function rateLimitedMessage(secondsLeft: number): string {
  return `Too many attempts. Try again in ${formatWait(secondsLeft)}.`;
}

interface ErrorDetails {
  code: string | undefined;
  reason: string | undefined;
  field: string | undefined;
  retryAfter: number | undefined;
  requestId: string | undefined;
  message: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function detailsOf(error: CombinedError): ErrorDetails | undefined {
  const first = error.graphQLErrors[0];
  if (!first) return undefined;
  const { code, reason, field, retryAfter, requestId } = first.extensions;
  return {
    code: text(code),
    reason: text(reason),
    field: text(field),
    retryAfter: typeof retryAfter === 'number' ? retryAfter : undefined,
    requestId: text(requestId),
    message: first.message,
  };
}

/** `INVALID_CREDENTIALS` says which secret was wrong through `extensions.field`. */
function invalidCredentialsMessage(field: string | undefined): string {
  switch (field) {
    case 'currentPassword':
      return 'The current password is incorrect.';
    case 'code':
      return WRONG_CODE;
    case 'challenge':
      return LOGIN_EXPIRED;
    case 'response':
      return PASSKEY_REFUSED;
    default:
      return 'Incorrect email or password.';
  }
}

function messageOf(details: ErrorDetails): string {
  switch (details.code) {
    case 'UNAUTHENTICATED':
      return UNAUTHENTICATED[details.reason ?? ''] ?? UNAUTHENTICATED.TOKEN_MISSING!;
    case 'INVALID_CREDENTIALS':
      return invalidCredentialsMessage(details.field);
    case 'EMAIL_TAKEN':
      return 'An account with this email already exists.';
    case 'EMAIL_NOT_VERIFIED':
      return EMAIL_NOT_VERIFIED;
    case 'BAD_USER_INPUT':
      return FIELD_RULES[details.field ?? ''] ?? details.message;
    case 'RATE_LIMITED':
      return rateLimitedMessage(details.retryAfter ?? 60);
    case 'SECOND_FACTOR_REQUIRED':
      return SECOND_FACTOR_NEEDED;
    case 'STEP_UP_REQUIRED':
      return STEP_UP_NEEDED;
    case 'FORBIDDEN':
      return 'That is not possible: it may have ended already, or it is not yours.';
    case 'SERVICE_UNAVAILABLE':
      return UNAVAILABLE;
    default:
      return details.requestId ? `${UNEXPECTED} (Reference: ${details.requestId})` : UNEXPECTED;
  }
}

/** The `extensions.code` of a failed operation's first error, if the server gave one. */
export function errorCode(error: CombinedError | undefined): string | undefined {
  return error ? detailsOf(error)?.code : undefined;
}

/** True when a login challenge is dead (expired, out of tries, or spent): the password step starts again. */
export function isDeadChallengeError(error: CombinedError | undefined): boolean {
  const details = error ? detailsOf(error) : undefined;
  return details?.code === 'INVALID_CREDENTIALS' && details.field === 'challenge';
}

/** True when an emailed link's token was refused: unknown, used, replaced by a newer one, or expired. */
export function isInvalidLinkError(error: CombinedError | undefined): boolean {
  const details = error ? detailsOf(error) : undefined;
  return details?.code === 'BAD_USER_INPUT' && details.field === 'token';
}

/** One sentence for a failed operation, for places without a form (a button in a list). */
export function errorMessage(error: CombinedError): string {
  const details = detailsOf(error);
  if (details) return messageOf(details);
  return error.networkError ? NETWORK : UNEXPECTED;
}

/**
 * Splits a failed operation into what a form shows: a message under the input the server named
 * (`extensions.field`, when the form has that input), or one for the whole form. `RATE_LIMITED`
 * also carries its `retryAfter`, so the form can count down and hold its button.
 */
export function formErrors(error: CombinedError | undefined, inputs: readonly string[]): FormErrors {
  if (!error) return { fields: {} };
  const details = detailsOf(error);
  if (!details) return { form: errorMessage(error), fields: {} };
  const message = messageOf(details);
  if (details.code === 'RATE_LIMITED') return { form: message, fields: {}, retryAfterSeconds: details.retryAfter ?? 60 };
  if (details.field && inputs.includes(details.field)) return { fields: { [details.field]: message } };
  return { form: message, fields: {} };
}
