import { CombinedError, type Operation, type OperationResult } from '@urql/core';
import { loggedOutError, refreshFailure, retryAfterMs, TOKEN_EXPIRED, unauthenticatedReason } from './auth-errors.ts';
import type { RefreshData } from './documents.ts';
import { generationOf, isOwnRefresh, isSessionMutation } from './operation-context.ts';
import { sessionFromPayload, type Session, type SessionStore, type TokenTransport } from './session-store.ts';
import type { TabLock } from './tab-lock.ts';

/** Sends the refresh mutation past the auth exchange (`AuthUtilities.mutate`). */
export type SendRefresh = (variables: { refreshToken?: string }) => Promise<OperationResult<RefreshData>>;

/**
 * The one place that decides "refresh now?", and does it: the time before expiry, the server's
 * `TOKEN_EXPIRED`, the back-off after a failure and the turn among tabs. The auth exchange asks it
 * through `@urql/exchange-auth`'s three hooks; the answers depend on recorded facts (the
 * generation the server said expired, the due time, the back-off), not on the order in which
 * those hooks are called.
 */
export interface Refresher {
  /** `willAuthError`: whether `operation` waits for a refresh before it goes out (the access token is about to expire). */
  refreshFirst(operation: Operation): boolean;
  /**
   * `didAuthError`: whether `operation` waits and is replayed. `TOKEN_EXPIRED` for the current
   * credentials asks for a refresh; for older ones (a late answer, a refresh in another tab) only
   * for the replay. Any other `UNAUTHENTICATED` reason ends the session.
   */
  retryAfter(error: CombinedError, operation: Operation): boolean;
  /**
   * `refreshAuth`: refreshes when something asked for it and still holds, then the waiting
   * operations are replayed; otherwise only replays them. Rejects with a {@link refreshFailure}
   * when the session could not be renewed.
   */
  refresh(sendRefresh: SendRefresh): Promise<void>;
}

export interface RefresherOptions {
  transport: TokenTransport;
  store: SessionStore;
  tabs: TabLock;
  now: () => Date;
  /** Refresh this long before `accessTokenExpiresAt`, but at most half the token's remaining life. */
  refreshMarginMs: number;
  /** After a transient failure, no refresh for this long (or the server's `retryAfter`). */
  retryDelayMs: number;
}

export function createRefresher({ transport, store, tabs, now, refreshMarginMs, retryDelayMs }: RefresherOptions): Refresher {
  /** When the current access token should be renewed before an operation; null: leave it to the server's 401. */
  let refreshDueAt: number | null = null;
  /** The generation the server answered `TOKEN_EXPIRED` for; a later generation makes it stale by itself. */
  let expiredGeneration: number | undefined;
  let backoffUntil = 0;

  /**
   * A fresh token that already looks expired means the clocks disagree; refreshing before every
   * operation would not help, so that generation relies on the server's 401 instead. A stored one
   * simply expired while the program was away.
   */
  const refreshTimeFor = (session: Session | null, restored: boolean): number | null => {
    const expiresAt = session?.accessTokenExpiresAt ? Date.parse(session.accessTokenExpiresAt) : Number.NaN;
    if (Number.isNaN(expiresAt)) return null;
    const remaining = expiresAt - now().getTime();
    if (remaining <= 0) return restored ? now().getTime() : null;
    return expiresAt - Math.min(refreshMarginMs, remaining / 2);
  };
  // Computed when the session changes: the margin is at most half the life the token had then.
  store.subscribe((state) => {
    refreshDueAt = state.status === 'logged-in' ? refreshTimeFor(store.session, store.restored) : null;
  });

  const backingOff = () => now().getTime() < backoffUntil;
  const due = () => refreshDueAt !== null && now().getTime() >= refreshDueAt;

  /** The decision. */
  const refreshNeeded = (): boolean => {
    const { status, generation } = store.state;
    if (status === 'logged-out' || backingOff()) return false;
    return expiredGeneration === generation || due();
  };

  const failIfLoggedOut = () => {
    const { status, loggedOutReason } = store.state;
    if (status === 'logged-out') throw refreshFailure(loggedOutError(loggedOutReason ?? 'LOGGED_OUT'));
  };

  const refreshNow = async (sendRefresh: SendRefresh): Promise<void> => {
    const refreshToken = store.session?.refreshToken ?? undefined;
    if (transport === 'bearer' && !refreshToken) {
      store.end('TOKEN_MISSING');
      throw refreshFailure(loggedOutError('TOKEN_MISSING'));
    }
    const result = await sendRefresh(transport === 'bearer' ? { refreshToken } : {});
    const payload = result.data?.refresh;
    if (payload && !result.error) {
      await store.start(sessionFromPayload(transport, payload));
      return;
    }
    const error = result.error ?? new CombinedError({ networkError: new Error('The refresh mutation returned no data.') });
    const reason = unauthenticatedReason(error);
    // Every authentication error from `refresh` ends the session; anything else (the network, a
    // 5xx, rate limiting, the database being down) is no reason to log the user out.
    if (reason) store.end(reason);
    else backoffUntil = now().getTime() + (retryAfterMs(error) ?? retryDelayMs);
    throw refreshFailure(error);
  };

  return {
    refreshFirst: (operation) => !isSessionMutation(operation) && store.state.status === 'logged-in' && due() && !backingOff(),

    retryAfter(error, operation) {
      if (isOwnRefresh(operation) || isSessionMutation(operation)) return false;
      const reason = unauthenticatedReason(error);
      if (reason === undefined) return false;
      const { generation, status } = store.state;
      const sentWith = generationOf(operation) ?? generation;
      if (reason !== TOKEN_EXPIRED) {
        // The server says this session is gone (revoked, missing, invalid): no refresh, logged out.
        if (sentWith === generation && status !== 'logged-out') store.end(reason);
        return false;
      }
      if (operation.context.authAttempt) return false;
      // Sent before the credentials last changed: replay it without refreshing (or, when the
      // session ended since, fail it with the reason, in `refresh`, without a request).
      if (sentWith !== generation) return true;
      if (status === 'logged-out' || backingOff()) return false;
      expiredGeneration = generation;
      return true;
    },

    async refresh(sendRefresh) {
      failIfLoggedOut();
      if (!refreshNeeded()) return;
      const target = store.state.generation;
      await tabs.runExclusive(async () => {
        // Another tab (or a login) renewed the credentials while this one waited for the lock.
        if (store.state.generation === target) await refreshNow(sendRefresh);
      });
      failIfLoggedOut();
    },
  };
}
