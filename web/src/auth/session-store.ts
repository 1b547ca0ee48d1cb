/** Whether the client holds a session: `unknown` until a login, a refresh, stored state or the server tells. */
export type AuthStatus = 'unknown' | 'logged-in' | 'logged-out';

/**
 * The user a session belongs to: only the id. Pages that show who is logged in ask the server
 * (`me`); the client keeps and passes on no email or name.
 */
export interface AuthUser {
  readonly id: string;
}

/** Keeps only the id of whatever names the user (a payload, a stored session, another tab's message). */
export function userReference(user: { id: string } | null | undefined): AuthUser | null {
  return user ? { id: user.id } : null;
}

/** What the app sees of the session. A new object on every change, so it suits `useSyncExternalStore`. */
export interface AuthState {
  readonly status: AuthStatus;
  readonly user: AuthUser | null;
  /** When the current access token expires, as the server said (login, sign-up, refresh). */
  readonly accessTokenExpiresAt: Date | null;
  readonly refreshTokenExpiresAt: Date | null;
  /**
   * Increases whenever the credentials change: login, refresh (in this tab or another), logout.
   * Every operation carries the generation it was sent with, so a late `TOKEN_EXPIRED` for an older
   * generation is replayed instead of starting another refresh.
   */
  readonly generation: number;
  /** Why the client is logged out: a server reason such as `SESSION_REVOKED`, or `LOGGED_OUT`. */
  readonly loggedOutReason: string | null;
}

/** A session as the server hands it over; tokens only with bearer transport. */
export interface SessionRecord {
  user: AuthUser | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
  accessToken: string | null;
  refreshToken: string | null;
}

/** The mutable heart of a client's session: state, tokens, proactive-refresh time, listeners. */
export interface AuthStore {
  readonly state: AuthState;
  readonly session: SessionRecord | null;
  /** True once the access token is close enough to expiry that the next operation should refresh first. */
  dueForRefresh(): boolean;
  /** `restored`: loaded from storage, so an expired access token is expected and due for refresh at once. */
  setSession(session: SessionRecord, options?: { restored?: boolean }): void;
  logOut(reason: string): void;
  subscribe(listener: (state: AuthState) => void): () => void;
}

export interface AuthStoreOptions {
  now: () => Date;
  /** Refresh this long before `accessTokenExpiresAt`, but at most half the token's remaining life. */
  refreshMarginMs: number;
}

const initialState: AuthState = {
  status: 'unknown',
  user: null,
  accessTokenExpiresAt: null,
  refreshTokenExpiresAt: null,
  generation: 0,
  loggedOutReason: null,
};

export function createAuthStore({ now, refreshMarginMs }: AuthStoreOptions): AuthStore {
  let state = initialState;
  let session: SessionRecord | null = null;
  let refreshDueAt: number | null = null;
  const listeners = new Set<(state: AuthState) => void>();

  const publish = (next: AuthState) => {
    state = next;
    for (const listener of [...listeners]) listener(state);
  };

  /**
   * A fresh token that already looks expired means the clocks disagree; refreshing before every
   * operation would not help, so that generation relies on the server's 401 instead. A stored one
   * simply expired while the program was away.
   */
  const refreshTimeFor = (expiresAt: Date | null, restored: boolean): number | null => {
    if (!expiresAt) return null;
    const remaining = expiresAt.getTime() - now().getTime();
    if (remaining <= 0) return restored ? now().getTime() : null;
    return expiresAt.getTime() - Math.min(refreshMarginMs, remaining / 2);
  };

  return {
    get state() {
      return state;
    },
    get session() {
      return session;
    },
    dueForRefresh: () => state.status === 'logged-in' && refreshDueAt !== null && now().getTime() >= refreshDueAt,
    setSession(next, { restored = false } = {}) {
      session = next;
      refreshDueAt = refreshTimeFor(next.accessTokenExpiresAt, restored);
      publish({
        status: 'logged-in',
        user: next.user,
        accessTokenExpiresAt: next.accessTokenExpiresAt,
        refreshTokenExpiresAt: next.refreshTokenExpiresAt,
        generation: state.generation + 1,
        loggedOutReason: null,
      });
    },
    logOut(reason) {
      session = null;
      refreshDueAt = null;
      publish({ ...initialState, status: 'logged-out', generation: state.generation + 1, loggedOutReason: reason });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
