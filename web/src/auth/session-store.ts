import type { AuthPayloadInput } from './documents.ts';
import type { TabLock, TabMessage } from './tab-lock.ts';
import type { TokenStorage } from './token-storage.ts';

/** Browsers keep tokens in HttpOnly cookies; other programs hold them and send `Authorization: Bearer`. */
export type TokenTransport = 'cookie' | 'bearer';

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

/**
 * A session as the client holds it, keeps it in its {@link TokenStorage} and (without the tokens)
 * tells the other tabs: plain JSON, times as ISO 8601 strings. Cookie transport stores only the
 * user's id and the expiry times (the browser keeps the tokens in HttpOnly cookies); bearer
 * transport also holds the tokens.
 */
export interface Session {
  /** The user's id only: no email or name is kept. */
  user: AuthUser | null;
  accessTokenExpiresAt: string | null;
  refreshTokenExpiresAt: string | null;
  accessToken: string | null;
  refreshToken: string | null;
}

const toDate = (value: string | Date | null | undefined): Date | null => {
  if (value === null || value === undefined) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** Checks a payload for the transport: bearer needs both tokens, cookie transport never sees any. */
export function sessionFromPayload(transport: TokenTransport, payload: AuthPayloadInput): Session {
  const accessTokenExpiresAt = toDate(payload.accessTokenExpiresAt);
  if (!accessTokenExpiresAt) throw new TypeError('setSession: the payload needs a valid accessTokenExpiresAt.');
  const bearer = transport === 'bearer';
  if (bearer && (!payload.accessToken || !payload.refreshToken)) {
    throw new TypeError('setSession: bearer transport needs accessToken and refreshToken (log in with transport: BEARER).');
  }
  if (!bearer && (payload.accessToken || payload.refreshToken)) {
    throw new TypeError('setSession: cookie transport got tokens, so the server set no cookies (log in with transport: COOKIE).');
  }
  return {
    user: userReference(payload.user),
    accessTokenExpiresAt: accessTokenExpiresAt.toISOString(),
    refreshTokenExpiresAt: toDate(payload.refreshTokenExpiresAt)?.toISOString() ?? null,
    accessToken: payload.accessToken ?? null,
    refreshToken: payload.refreshToken ?? null,
  };
}

/**
 * The client's session in one place: its state, its storage and what the other tabs hear. Every
 * change goes through here, so the three never disagree.
 */
export interface SessionStore {
  readonly state: AuthState;
  readonly session: Session | null;
  /** True while the session is the one loaded from storage: its access token may have expired while the program was away. */
  readonly restored: boolean;
  /** Calls `listener` on every change, here or from another tab. Returns the unsubscribe function. */
  subscribe(listener: (state: AuthState) => void): () => void;
  /** Loads the stored session once; it applies only while nothing newer is known. */
  restore(): Promise<void>;
  /** A new session from this client (login, sign-up, refresh): the state, the storage, the other tabs. */
  start(session: Session): Promise<void>;
  /** The session ended here (logout, a failed refresh, the server saying it is gone): the same three. */
  end(reason: string): void;
  /** Stops hearing the other tabs. */
  dispose(): void;
}

const initialState: AuthState = {
  status: 'unknown',
  user: null,
  accessTokenExpiresAt: null,
  refreshTokenExpiresAt: null,
  generation: 0,
  loggedOutReason: null,
};

/** Runs a storage call whose failure must not break requests (see {@link TokenStorage}). */
const ignoreFailure = (work: () => void | Promise<void>): Promise<void> => {
  try {
    return Promise.resolve(work()).catch(() => undefined);
  } catch {
    return Promise.resolve();
  }
};

export function createSessionStore({ transport, storage, tabs }: { transport: TokenTransport; storage: TokenStorage; tabs: TabLock }): SessionStore {
  let state = initialState;
  let session: Session | null = null;
  let restored = false;
  let restoring: Promise<void> | undefined;
  const listeners = new Set<(state: AuthState) => void>();

  const publish = (next: AuthState) => {
    state = next;
    for (const listener of [...listeners]) listener(state);
  };

  const adopt = (next: Session, { fromStorage = false } = {}) => {
    session = { ...next, user: userReference(next.user) };
    restored = fromStorage;
    publish({
      status: 'logged-in',
      user: userReference(next.user),
      accessTokenExpiresAt: toDate(next.accessTokenExpiresAt),
      refreshTokenExpiresAt: toDate(next.refreshTokenExpiresAt),
      generation: state.generation + 1,
      loggedOutReason: null,
    });
  };

  const logOut = (reason: string) => {
    session = null;
    restored = false;
    publish({ ...initialState, status: 'logged-out', generation: state.generation + 1, loggedOutReason: reason });
    void ignoreFailure(() => storage.clear());
  };

  const load = async (): Promise<Session | null> => {
    try {
      return await storage.load();
    } catch {
      return null;
    }
  };

  const receive = (message: TabMessage) => {
    if (message.type === 'logged-out') return logOut(message.reason);
    // Tokens stay out of messages: a bearer tab that shares the storage reads them from there.
    const { user, accessTokenExpiresAt, refreshTokenExpiresAt } = message;
    if (transport === 'cookie') return adopt({ user, accessTokenExpiresAt, refreshTokenExpiresAt, accessToken: null, refreshToken: null });
    void load().then((stored) => stored && adopt(stored));
  };
  const stopHearingTabs = tabs.subscribe(receive);

  return {
    get state() {
      return state;
    },
    get session() {
      return session;
    },
    get restored() {
      return restored;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    restore() {
      restoring ??= (async () => {
        const generation = state.generation;
        const stored = await load();
        if (stored && state.generation === generation) adopt(stored, { fromStorage: true });
      })();
      return restoring;
    },
    async start(next) {
      adopt(next);
      await ignoreFailure(() => storage.save(next));
      const { user, accessTokenExpiresAt, refreshTokenExpiresAt } = next;
      tabs.post({ type: 'session', user: userReference(user), accessTokenExpiresAt, refreshTokenExpiresAt });
    },
    end(reason) {
      logOut(reason);
      tabs.post({ type: 'logged-out', reason });
    },
    dispose: stopHearingTabs,
  };
}
