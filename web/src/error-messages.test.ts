import { CombinedError } from '@urql/core';
import { describe, expect, it } from 'vitest';
import {
  errorCode,
  errorMessage,
  formatWait,
  formErrors,
  INVALID_LINK,
  isDeadChallengeError,
  isInvalidLinkError,
  LOGIN_EXPIRED,
  rateLimitedMessage,
  sessionEndedMessage,
  STEP_UP_NEEDED,
} from './error-messages.ts';
import { loginChallengeOf, stepUpMethodsOf } from './second-factor.ts';

const graphQLError = (message: string, extensions: Record<string, unknown>) => new CombinedError({ graphQLErrors: [{ message, extensions }] });

describe('error messages', () => {
  it('puts a field’s error under its input and everything else above the form', () => {
    expect(formErrors(graphQLError('Enter a valid email address.', { code: 'BAD_USER_INPUT', field: 'email' }), ['email', 'password'])).toEqual({
      fields: { email: 'Enter a valid email address, like ada@example.com.' },
    });
    expect(formErrors(graphQLError('x', { code: 'EMAIL_TAKEN', field: 'email' }), ['name', 'email', 'password'])).toEqual({
      fields: { email: 'An account with this email already exists.' },
    });
    expect(formErrors(graphQLError('x', { code: 'INVALID_CREDENTIALS' }), ['email', 'password'])).toEqual({
      form: 'Incorrect email or password.',
      fields: {},
    });
    expect(formErrors(graphQLError('x', { code: 'INVALID_CREDENTIALS', field: 'currentPassword' }), ['currentPassword', 'newPassword'])).toEqual({
      fields: { currentPassword: 'The current password is incorrect.' },
    });
    expect(formErrors(graphQLError('Odd.', { code: 'BAD_USER_INPUT', field: 'somethingNew' }), ['email'])).toEqual({ form: 'Odd.', fields: {} });
    expect(formErrors(undefined, ['email'])).toEqual({ fields: {} });
  });

  it('gives RATE_LIMITED its wait, in words a person reads', () => {
    expect(formErrors(graphQLError('x', { code: 'RATE_LIMITED', retryAfter: 900 }), ['email'])).toEqual({
      form: 'Too many attempts. Try again in 15 minutes.',
      fields: {},
      retryAfterSeconds: 900,
    });
    expect(rateLimitedMessage(1)).toBe('Too many attempts. Try again in 1 second.');
    expect(formatWait(42)).toBe('42 seconds');
    expect(formatWait(59.2)).toBe('1 minute');
    expect(formatWait(60)).toBe('1 minute');
    expect(formatWait(845)).toBe('14 min 5 s');
  });

  it('explains why a session ended, and says nothing to a visitor who never logged in', () => {
    expect(sessionEndedMessage('SESSION_REVOKED')).toBe('Your session was ended from another device. Please log in again.');
    expect(sessionEndedMessage('LOGGED_OUT')).toBe('You have been logged out.');
    expect(sessionEndedMessage('SESSION_EXPIRED')).toMatch(/expired/);
    expect(sessionEndedMessage('REFRESH_TOKEN_REUSED')).toMatch(/used twice/);
    expect(sessionEndedMessage('ACCOUNT_DELETED')).toBe('Your account was deleted, and you were logged out.');
    expect(sessionEndedMessage('TOKEN_MISSING')).toBeUndefined();
    expect(sessionEndedMessage(null)).toBeUndefined();
  });

  it('has a sentence for every other code, the network and the unexpected', () => {
    expect(errorMessage(graphQLError('x', { code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' }))).toMatch(/another device/);
    expect(errorMessage(graphQLError('x', { code: 'FORBIDDEN' }))).toMatch(/not yours/);
    expect(errorMessage(graphQLError('x', { code: 'SERVICE_UNAVAILABLE' }))).toMatch(/temporarily unavailable/);
    expect(errorMessage(graphQLError('Unexpected error.', { requestId: 'req-42' }))).toBe('Something went wrong on our side. Please try again. (Reference: req-42)');
    expect(errorMessage(new CombinedError({ networkError: new TypeError('Failed to fetch') }))).toMatch(/Cannot reach the server/);
  });

  it('explains an unverified address at login, with the two ways to prove it', () => {
    const unverified = graphQLError('Email not verified.', { code: 'EMAIL_NOT_VERIFIED' });
    expect(formErrors(unverified, ['email', 'password'])).toEqual({
      form: 'Your email address is not verified yet: follow the link in the newest email we sent to it, then log in again. No email? Reset your password, which proves the address too.',
      fields: {},
    });
    expect(errorCode(unverified)).toBe('EMAIL_NOT_VERIFIED');
    expect(errorCode(new CombinedError({ networkError: new TypeError('Failed to fetch') }))).toBeUndefined();
    expect(errorCode(undefined)).toBeUndefined();
  });

  it('tells a refused link (the token field) from every other error, with one message for unknown, used and expired', () => {
    const refused = graphQLError('Invalid or expired link.', { code: 'BAD_USER_INPUT', field: 'token' });
    expect(isInvalidLinkError(refused)).toBe(true);
    expect(errorMessage(refused)).toBe(INVALID_LINK);
    expect(formErrors(refused, ['newPassword'])).toEqual({ form: INVALID_LINK, fields: {} });
    expect(isInvalidLinkError(graphQLError('x', { code: 'BAD_USER_INPUT', field: 'newPassword' }))).toBe(false);
    expect(isInvalidLinkError(graphQLError('x', { code: 'RATE_LIMITED', retryAfter: 60 }))).toBe(false);
    expect(isInvalidLinkError(undefined)).toBe(false);
  });

  it('puts a change of email’s errors under the new address and the password', () => {
    const inputs = ['newEmail', 'currentPassword'];
    expect(formErrors(graphQLError('x', { code: 'EMAIL_TAKEN', field: 'newEmail' }), inputs)).toEqual({
      fields: { newEmail: 'An account with this email already exists.' },
    });
    expect(formErrors(graphQLError('x', { code: 'BAD_USER_INPUT', field: 'newEmail' }), inputs)).toEqual({
      fields: { newEmail: 'Enter a valid email address, like ada@example.com.' },
    });
    expect(formErrors(graphQLError('x', { code: 'INVALID_CREDENTIALS', field: 'currentPassword' }), inputs)).toEqual({
      fields: { currentPassword: 'The current password is incorrect.' },
    });
  });

  it('puts a wrong second-factor code under the code field, and tells a dead login challenge from it', () => {
    const wrongCode = graphQLError('The code is incorrect.', { code: 'INVALID_CREDENTIALS', field: 'code' });
    expect(formErrors(wrongCode, ['code'])).toEqual({
      fields: { code: 'That code is not right. Enter the current code from your authenticator app, or an unused recovery code.' },
    });
    expect(isDeadChallengeError(wrongCode)).toBe(false);
    const dead = graphQLError('This login has expired or is invalid; log in again.', { code: 'INVALID_CREDENTIALS', field: 'challenge' });
    expect(isDeadChallengeError(dead)).toBe(true);
    expect(formErrors(dead, ['email', 'password'])).toEqual({ form: LOGIN_EXPIRED, fields: {} });
    expect(formErrors(graphQLError('x', { code: 'BAD_USER_INPUT', field: 'code' }), ['code'])).toEqual({
      fields: { code: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.' },
    });
    expect(errorMessage(graphQLError('x', { code: 'INVALID_CREDENTIALS', field: 'response' }))).toMatch(/passkey was not accepted/);
  });

  it('reads SECOND_FACTOR_REQUIRED’s challenge and methods, and STEP_UP_REQUIRED’s methods, ignoring methods it does not know', () => {
    const required = graphQLError('x', { code: 'SECOND_FACTOR_REQUIRED', challenge: 'c-1', methods: ['TOTP', 'RECOVERY_CODE', 'SMOKE_SIGNAL', 7] });
    expect(loginChallengeOf(required)).toEqual({ challenge: 'c-1', methods: ['TOTP', 'RECOVERY_CODE'] });
    expect(loginChallengeOf(graphQLError('x', { code: 'SECOND_FACTOR_REQUIRED' })), 'no challenge, nothing to finish').toBeUndefined();
    expect(loginChallengeOf(graphQLError('x', { code: 'INVALID_CREDENTIALS' }))).toBeUndefined();
    expect(loginChallengeOf(undefined)).toBeUndefined();
    const stepUp = graphQLError('x', { code: 'STEP_UP_REQUIRED', methods: ['TOTP', 'PASSKEY'] });
    expect(stepUpMethodsOf(stepUp)).toEqual(['TOTP', 'PASSKEY']);
    expect(errorMessage(stepUp)).toBe(STEP_UP_NEEDED);
    expect(stepUpMethodsOf(graphQLError('x', { code: 'FORBIDDEN' }))).toBeUndefined();
  });
});
