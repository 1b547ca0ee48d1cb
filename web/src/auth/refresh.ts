import { CombinedError, type OperationResult } from '@urql/core';
import type { AuthStore } from './session-store.ts';
import { loggedOutError, refreshFailure, retryAfterMs, unauthenticatedReason } from './auth-errors.ts';
import type { RefreshData } from './documents.ts';
import { sessionFromPayload, type SessionSync, type TokenTransport } from './session-sync.ts';
import type { TabCoordinator } from './tab-lock.ts';

export interface SessionRefresher {
  /**
   * Refreshes the session of generation `target`, unless the credentials changed meanwhile (another
   * tab refreshed, a login): then it returns at once and the waiting operations are replayed.
   * Rejects with a {@link refreshFailure} when the session could not be renewed.
   */
  refresh(target: number): Promise<void>;
  /** True for a while after a transient failure (network, 5xx, `RATE_LIMITED`): no refresh then. */
  backingOff(): boolean;
}

export interface SessionRefresherOptions {
  transport: TokenTransport;
  store: AuthStore;
  sync: SessionSync;
  coordinator: TabCoordinator;
  now: () => Date;
  retryDelayMs: number;
  /** Sends the refresh mutation past the auth exchange (`AuthUtilities.mutate`). */
  sendRefresh(variables: { refreshToken?: string }): Promise<OperationResult<RefreshData>>;
}

export function createSessionRefresher({ transport, store, sync, coordinator, now, retryDelayMs, sendRefresh }: SessionRefresherOptions): SessionRefresher {
  let backoffUntil = 0;

  const refreshNow = async (): Promise<void> => {
    const refreshToken = store.session?.refreshToken ?? undefined;
    if (transport === 'bearer' && !refreshToken) {
      sync.end('TOKEN_MISSING');
      throw refreshFailure(loggedOutError('TOKEN_MISSING'));
    }
    const result = await sendRefresh(transport === 'bearer' ? { refreshToken } : {});
    const payload = result.data?.refresh;
    if (payload && !result.error) {
      await sync.start(sessionFromPayload(transport, payload));
      return;
    }
    const error = result.error ?? new CombinedError({ networkError: new Error('The refresh mutation returned no data.') });
    const reason = unauthenticatedReason(error);
    // Every authentication error from `refresh` ends the session; anything else (the network, a
    // 5xx, rate limiting, the database being down) is no reason to log the user out.
    if (reason) sync.end(reason);
    else backoffUntil = now().getTime() + (retryAfterMs(error) ?? retryDelayMs);
    throw refreshFailure(error);
  };

  return {
    async refresh(target) {
      await coordinator.exclusive(async () => {
        if (store.state.generation === target) await refreshNow();
      });
      const { status, loggedOutReason } = store.state;
      if (status === 'logged-out') throw refreshFailure(loggedOutError(loggedOutReason ?? 'LOGGED_OUT'));
    },
    backingOff: () => now().getTime() < backoffUntil,
  };
}
