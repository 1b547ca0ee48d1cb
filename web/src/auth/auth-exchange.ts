import { composeExchanges, mapExchange, type Client, type Exchange, type Operation } from '@urql/core';
import { authExchange, type AuthConfig, type AuthUtilities } from '@urql/exchange-auth';
import { disposedError, refreshFailure, refreshFailureCause, TOKEN_EXPIRED, unauthenticatedReason } from './auth-errors.ts';
import { LogoutMutation, RefreshMutation, SessionCheckQuery, type AuthPayloadInput } from './documents.ts';
import { isOwnRefresh, isSessionMutation, withAuth } from './operation-context.ts';
import { createRefresher } from './refresh.ts';
import { createSessionStore, sessionFromPayload, type AuthState, type TokenTransport } from './session-store.ts';
import { tabLockFor, type TabOptions } from './tab-lock.ts';
import { memoryTokenStorage, type TokenStorage } from './token-storage.ts';
import { uniqueMutationKeysExchange } from './unique-mutation-keys.ts';

/** The session handle of an auth exchange: what the app reads and tells it. */
export interface Auth {
  readonly transport: TokenTransport;
  /** The current state; the same object until something changes. */
  getState(): AuthState;
  /** Resolves once the stored session (if any) was loaded: a program can then tell whether it must log in. */
  ready(): Promise<AuthState>;
  /** Calls `listener` on every change (login, refresh, logout, here or in another tab). Returns the unsubscribe function. */
  subscribe(listener: (state: AuthState) => void): () => void;
  /**
   * Adopts the session a `login` or `signup` returned. Select `accessTokenExpiresAt` (and with
   * bearer transport `accessToken` and `refreshToken`) in those mutations. Rejects with a
   * `TypeError` when the payload does not fit the transport.
   */
  setSession(payload: AuthPayloadInput): Promise<void>;
  /**
   * Ends the session on the server (`logout`, with the refresh token under bearer transport). Only
   * once the server confirmed (or said there is no session) does the client move to `logged-out`
   * and tell the other tabs; resolves to `true` then. When the request fails (the network, a 5xx,
   * `SERVICE_UNAVAILABLE`) the session is still valid on the server, so the client stays logged in
   * and resolves to `false`: call it again to retry.
   */
  logout(): Promise<boolean>;
  /**
   * Moves the client (and the other tabs) to `logged-out` with `reason`, without asking the server:
   * for a session the server itself just ended, such as by deleting the account.
   */
  endSession(reason: string): void;
  /**
   * Asks the server whether the session still holds (`me { id }`); a session ended elsewhere moves
   * the client to `logged-out` with the server's reason. Does nothing unless logged in; calls made
   * while a check is in flight share it.
   */
  checkSession(): Promise<AuthState>;
  /**
   * Tears the client down: from now on no operation reaches the network (waiting ones included:
   * they are not replayed but answered with an error), no refresh starts, tab messages stop.
   */
  dispose(): void;
}

export interface AuthRefreshOptions {
  /** `cookie` for browsers (HttpOnly cookies), `bearer` for other programs (`Authorization` header). */
  transport: TokenTransport;
  /** Where the session survives restarts; memory by default. See {@link webTokenStorage}. */
  storage?: TokenStorage;
  /**
   * How tabs take turns to refresh (a Web Lock) and hear about each other's logins, refreshes and
   * logouts (a BroadcastChannel): `false` for none. Default: on in browsers with cookie transport,
   * off otherwise.
   */
  tabs?: TabOptions | false;
  /** The clock that decides when to refresh before expiry; tests pass one they can move. */
  now?: () => Date;
  /** Refresh this long before `accessTokenExpiresAt` (at most half the token's life). Default 30 s. */
  refreshMarginMs?: number;
  /** After a refresh failed for a reason other than authentication, wait this long before another. Default 5 s. */
  retryDelayMs?: number;
  /** Header sent on every request (GET queries too) for the server's CSRF prevention; `false` sends none. */
  csrfHeader?: string | false;
  /**
   * Fetch `credentials`. Default: with cookie transport `same-origin` when the API is on the page's
   * origin and `include` when it is on another; with bearer transport `omit`.
   */
  credentials?: RequestCredentials;
  /**
   * Check the session ({@link Auth.checkSession}) whenever the page becomes visible again or gets
   * focus, so a tab left idle learns of a logout elsewhere at once rather than at its next request.
   * Default: on in browsers.
   */
  checkSessionOnReturn?: boolean;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const refuseRequest: typeof fetch = () => Promise.reject(new Error('This auth client was disposed.'));

function cookieCredentials(url: string): RequestCredentials {
  if (typeof location !== 'object' || location === null) return 'include';
  return new URL(url, location.href).origin === location.origin ? 'same-origin' : 'include';
}

/** Replaces the stand-in error of operations that waited for a failed refresh with the refresh's own error. */
const refreshFailureResultsExchange = mapExchange({
  onResult(result) {
    const cause = refreshFailureCause(result.error);
    return cause ? { ...result, error: cause } : result;
  },
});

/**
 * An urql exchange that authenticates operations and refreshes the session once, however many
 * operations fail with `UNAUTHENTICATED`/`TOKEN_EXPIRED` together, then replays each of them once.
 * Built on `@urql/exchange-auth`, closing its gaps:
 *
 * - every operation carries the auth generation it was sent with; a `TOKEN_EXPIRED` for an older
 *   generation (a late 401, or a refresh in another tab) is replayed without another refresh;
 * - identical mutations failing together are all replayed (each gets its own queue key);
 * - only `TOKEN_EXPIRED` triggers a refresh, never an error of `refresh` itself, never while logged
 *   out, and after a transient refresh failure only once {@link AuthRefreshOptions.retryDelayMs} passed;
 * - a failed refresh fails every waiting operation once, with the refresh's error;
 * - every request carries the CSRF header, and `Authorization: Bearer` under bearer transport.
 *
 * Place it after `cacheExchange` and before `fetchExchange`, in one `Client` only:
 *
 * @example
 * ```ts
 * const { exchange, auth } = authRefreshExchange({ transport: 'bearer' });
 * const client = new Client({ url, exchanges: [cacheExchange, exchange, fetchExchange] });
 * const { data } = await client.mutation(Login, { input, transport: 'BEARER' }).toPromise();
 * if (data) await auth.setSession(data.login);
 * ```
 */
export function authRefreshExchange(options: AuthRefreshOptions): { exchange: Exchange; auth: Auth } {
  const {
    transport,
    storage = memoryTokenStorage(),
    now = () => new Date(),
    refreshMarginMs = 30_000,
    retryDelayMs = 5_000,
    csrfHeader = 'x-graphql-yoga-csrf',
  } = options;
  const tabs = tabLockFor(transport, options.tabs);
  const checkSessionOnReturn = options.checkSessionOnReturn ?? (typeof window === 'object' && typeof document === 'object');
  const store = createSessionStore({ transport, storage, tabs });
  const refresher = createRefresher({ transport, store, tabs, now, refreshMarginMs, retryDelayMs });
  let client: Client | undefined;
  let disposed = false;
  let sessionCheck: Promise<AuthState> | undefined;

  void store.restore();

  const credentialsFor = (operation: Operation): RequestCredentials =>
    options.credentials ?? (transport === 'bearer' ? 'omit' : cookieCredentials(operation.context.url));

  const addAuthToOperation = (operation: Operation): Operation => {
    const headers: Record<string, string | null> = {};
    if (csrfHeader) headers[csrfHeader] = '1';
    const bearer = transport === 'bearer';
    if (bearer) {
      const accessToken = store.session?.accessToken;
      headers.authorization = accessToken && !isOwnRefresh(operation) ? `Bearer ${accessToken}` : null;
    }
    return withAuth(operation, {
      generation: store.state.generation,
      headers,
      credentials: credentialsFor(operation),
      // A 307/308 would send the body again, refresh token or password included, wherever the
      // redirect points: such requests fail instead.
      ...(bearer && (isOwnRefresh(operation) || isSessionMutation(operation)) ? { redirect: 'error' as const } : {}),
      ...(disposed ? { fetch: refuseRequest } : {}),
    });
  };

  // The hooks of `@urql/exchange-auth`; whether and when to refresh is the refresher's to decide.
  const init = async (utils: AuthUtilities): Promise<AuthConfig> => {
    await store.restore();
    const sendRefresh = (variables: { refreshToken?: string }) =>
      utils.mutate(RefreshMutation, variables, { requestPolicy: 'network-only', authRefresh: true });
    return {
      addAuthToOperation,
      willAuthError: (operation) => !disposed && refresher.refreshFirst(operation),
      didAuthError: (error, operation) => !disposed && refresher.retryAfter(error, operation),
      async refreshAuth() {
        // Results that arrive together (a burst of 401s) all reach `didAuthError` before the decision.
        await nextTask();
        if (disposed) throw refreshFailure(disposedError());
        await refresher.refresh(sendRefresh);
        if (disposed) throw refreshFailure(disposedError());
      },
    };
  };

  const exchange: Exchange = (input) => {
    client = input.client;
    return composeExchanges([refreshFailureResultsExchange, uniqueMutationKeysExchange(), authExchange(init)])(input);
  };

  const auth: Auth = {
    transport,
    getState: () => store.state,
    ready: () => store.restore().then(() => store.state),
    subscribe: (listener) => store.subscribe(listener),
    async setSession(payload) {
      const session = sessionFromPayload(transport, payload);
      if (!disposed) await store.start(session);
    },
    async logout() {
      if (!client || disposed) return false;
      const refreshToken = store.session?.refreshToken;
      const variables = transport === 'bearer' && refreshToken ? { refreshToken } : {};
      const result = await client.mutation(LogoutMutation, variables, { requestPolicy: 'network-only' }).toPromise();
      if (disposed) return false;
      const reason = result.error ? unauthenticatedReason(result.error) : undefined;
      // Until the server confirms, the session is alive there (and behind the cookies): saying
      // "logged out" would leave it running unnoticed. An authentication error means it is gone.
      const ended = result.data?.logout === true || (reason !== undefined && reason !== TOKEN_EXPIRED);
      if (ended) store.end('LOGGED_OUT');
      return ended;
    },
    endSession(reason) {
      if (!disposed && store.state.status !== 'logged-out') store.end(reason);
    },
    checkSession() {
      if (!client || disposed || store.state.status !== 'logged-in') return Promise.resolve(store.state);
      sessionCheck ??= client
        .query(SessionCheckQuery, {}, { requestPolicy: 'network-only' })
        .toPromise()
        .then(() => store.state)
        .finally(() => (sessionCheck = undefined));
      return sessionCheck;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      store.dispose();
      stopCheckingOnReturn();
      tabs.close();
    },
  };

  const stopCheckingOnReturn = checkSessionOnReturn ? checkWhenPageReturns(() => void auth.checkSession()) : () => undefined;

  return { exchange, auth };
}

/** Calls `check` when the page becomes visible again or the window gets focus; returns the stop function. */
function checkWhenPageReturns(check: () => void): () => void {
  const onVisibilityChange = () => {
    if (document.visibilityState === 'visible') check();
  };
  document.addEventListener('visibilitychange', onVisibilityChange);
  window.addEventListener('focus', check);
  return () => {
    document.removeEventListener('visibilitychange', onVisibilityChange);
    window.removeEventListener('focus', check);
  };
}
