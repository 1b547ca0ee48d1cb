import { CombinedError } from '@urql/core';

/** The only reason that makes the client refresh (see the README's error table). */
export const TOKEN_EXPIRED = 'TOKEN_EXPIRED';

/** The `extensions.reason` of the first `UNAUTHENTICATED` error, if there is one. */
export function unauthenticatedReason(error: CombinedError): string | undefined {
  for (const graphQLError of error.graphQLErrors) {
    const { code, reason } = graphQLError.extensions;
    if (code === 'UNAUTHENTICATED') return typeof reason === 'string' ? reason : 'UNAUTHENTICATED';
  }
  return undefined;
}

/** Seconds from `extensions.retryAfter` (`RATE_LIMITED`), as milliseconds. */
export function retryAfterMs(error: CombinedError): number | undefined {
  for (const graphQLError of error.graphQLErrors) {
    const { retryAfter } = graphQLError.extensions;
    if (typeof retryAfter === 'number' && retryAfter > 0) return retryAfter * 1000;
  }
  return undefined;
}

/** What waiting operations receive when the session ended (a failed refresh, a logout in another tab). */
export function loggedOutError(reason: string): CombinedError {
  return new CombinedError({
    graphQLErrors: [{ message: 'Not logged in; log in again.', extensions: { code: 'UNAUTHENTICATED', reason } }],
  });
}

export function disposedError(): CombinedError {
  return new CombinedError({ networkError: new Error('This auth client was disposed.') });
}

const causes = new WeakMap<Error, CombinedError>();

/**
 * The rejection `refreshAuth` hands to `@urql/exchange-auth`, which turns it into each waiting
 * operation's error. It keeps the real error, which {@link refreshFailureCause} gets back.
 */
export function refreshFailure(cause: CombinedError): Error {
  const failure = new Error(`Refreshing the session failed: ${cause.message}`);
  causes.set(failure, cause);
  return failure;
}

export function refreshFailureCause(error: CombinedError | undefined): CombinedError | undefined {
  const networkError = error?.networkError;
  return networkError ? causes.get(networkError) : undefined;
}
