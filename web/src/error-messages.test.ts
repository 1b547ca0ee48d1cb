import { CombinedError } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { errorCode, errorMessage, formatWait, formErrors, INVALID_LINK, isInvalidLinkError, rateLimitedMessage, sessionEndedMessage } from './error-messages.ts';

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
});
