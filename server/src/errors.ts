import { GraphQLError } from 'graphql';

/** Why a request is not authenticated; clients refresh only on `TOKEN_EXPIRED`. */
export type UnauthenticatedReason =
  | 'TOKEN_MISSING'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
  | 'SESSION_REVOKED'
  | 'REFRESH_TOKEN_INVALID'
  | 'REFRESH_TOKEN_REUSED'
  | 'SESSION_EXPIRED';

const UNAUTHENTICATED_MESSAGES: Record<UnauthenticatedReason, string> = {
  TOKEN_MISSING: 'Not logged in.',
  TOKEN_EXPIRED: 'The access token has expired; refresh it.',
  TOKEN_INVALID: 'The access token is invalid.',
  SESSION_REVOKED: 'This session has ended; log in again.',
  REFRESH_TOKEN_INVALID: 'The refresh token is invalid.',
  REFRESH_TOKEN_REUSED: 'The refresh token was already used; the session has been ended for safety.',
  SESSION_EXPIRED: 'This session has expired; log in again.',
};

export function unauthenticated(reason: UnauthenticatedReason): GraphQLError {
  return new GraphQLError(UNAUTHENTICATED_MESSAGES[reason], {
    extensions: { code: 'UNAUTHENTICATED', reason, http: { status: 401 } },
  });
}

/** One message for an unknown email and a wrong password, so answers do not tell which emails exist. */
export function invalidCredentials(message = 'Invalid email or password.', field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'INVALID_CREDENTIALS', ...(field ? { field } : {}) } });
}

/** `field` names the input that holds the address; null where none does (a link). */
export function emailTaken(field: string | null = 'email'): GraphQLError {
  return new GraphQLError('An account with this email already exists.', {
    extensions: { code: 'EMAIL_TAKEN', ...(field ? { field } : {}) },
  });
}

/** Only ever answered after a correct password, so it tells nothing to someone without it. */
export function emailNotVerified(): GraphQLError {
  return new GraphQLError('Confirm your email address first: follow the link in the email we sent you.', {
    extensions: { code: 'EMAIL_NOT_VERIFIED' },
  });
}

export function badUserInput(field: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function serviceUnavailable(): GraphQLError {
  return new GraphQLError('The service is temporarily unavailable; try again shortly.', {
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
  });
}

export function rateLimited(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many attempts; try again in ${retryAfterSeconds} seconds.`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfter: retryAfterSeconds,
      http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
    },
  });
}

/**
 * The first factor was right, and the account has a second one: finish with `completeLogin`,
 * passing `challenge` (opaque, single use, short-lived) and a code of one of `methods`.
 */
export function secondFactorRequired(challenge: string, methods: readonly string[]): GraphQLError {
  return new GraphQLError('Enter a code from your authenticator app or a recovery code to finish logging in.', {
    extensions: { code: 'SECOND_FACTOR_REQUIRED', challenge, methods: [...methods] },
  });
}

/** A sensitive change needs a second factor proven on this session recently: `verifySecondFactor` with one of `methods`, then retry. */
export function stepUpRequired(methods: readonly string[]): GraphQLError {
  return new GraphQLError('Confirm it is you with your second factor first.', {
    extensions: { code: 'STEP_UP_REQUIRED', methods: [...methods] },
  });
}
