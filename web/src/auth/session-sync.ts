import { userReference, type AuthStore, type SessionRecord } from './session-store.ts';
import type { AuthPayloadInput } from './documents.ts';
import type { TabCoordinator, TabMessage } from './tab-lock.ts';
import type { StoredSession, TokenStorage } from './token-storage.ts';

/** Browsers keep tokens in HttpOnly cookies; other programs hold them and send `Authorization: Bearer`. */
export type TokenTransport = 'cookie' | 'bearer';

const toDate = (value: string | Date | null | undefined): Date | null => {
  if (value === null || value === undefined) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

const toStored = (session: SessionRecord): StoredSession => ({
  user: userReference(session.user),
  accessTokenExpiresAt: session.accessTokenExpiresAt?.toISOString() ?? null,
  refreshTokenExpiresAt: session.refreshTokenExpiresAt?.toISOString() ?? null,
  accessToken: session.accessToken,
  refreshToken: session.refreshToken,
});

const fromStored = (stored: StoredSession): SessionRecord => ({
  user: userReference(stored.user),
  accessTokenExpiresAt: toDate(stored.accessTokenExpiresAt),
  refreshTokenExpiresAt: toDate(stored.refreshTokenExpiresAt),
  accessToken: stored.accessToken,
  refreshToken: stored.refreshToken,
});

/** Checks a payload for the transport: bearer needs both tokens, cookie transport never sees any. */
export function sessionFromPayload(transport: TokenTransport, payload: AuthPayloadInput): SessionRecord {
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
    accessTokenExpiresAt,
    refreshTokenExpiresAt: toDate(payload.refreshTokenExpiresAt),
    accessToken: payload.accessToken ?? null,
    refreshToken: payload.refreshToken ?? null,
  };
}

/** Keeps the store, the storage and the other tabs in step. */
export interface SessionSync {
  /** Loads the stored session once; it applies only while nothing newer is known. */
  restore(): Promise<void>;
  /** A new session from this client: login, sign-up, refresh. */
  start(session: SessionRecord): Promise<void>;
  /** The session ended here: logout, a failed refresh, the server saying it is gone. */
  end(reason: string): void;
  /** Applies what another tab announced. */
  receive(message: TabMessage): void;
}

export function createSessionSync({
  transport,
  store,
  storage,
  coordinator,
}: {
  transport: TokenTransport;
  store: AuthStore;
  storage: TokenStorage;
  coordinator: TabCoordinator;
}): SessionSync {
  let restored: Promise<void> | undefined;

  const load = async (): Promise<SessionRecord | null> => {
    try {
      const stored = await storage.load();
      return stored ? fromStored(stored) : null;
    } catch {
      return null;
    }
  };
  const ignoreFailure = (work: () => void | Promise<void>) => {
    try {
      return Promise.resolve(work()).catch(() => undefined);
    } catch {
      return Promise.resolve();
    }
  };

  return {
    restore() {
      restored ??= (async () => {
        const generation = store.state.generation;
        const session = await load();
        if (session && store.state.generation === generation) store.setSession(session, { restored: true });
      })();
      return restored;
    },
    async start(session) {
      store.setSession(session);
      const stored = toStored(session);
      await ignoreFailure(() => storage.save(stored));
      // Tokens stay out of messages: a bearer tab that shares the storage reads them from there.
      coordinator.post({
        type: 'session',
        user: stored.user,
        accessTokenExpiresAt: stored.accessTokenExpiresAt,
        refreshTokenExpiresAt: stored.refreshTokenExpiresAt,
      });
    },
    end(reason) {
      store.logOut(reason);
      coordinator.post({ type: 'logged-out', reason });
      void ignoreFailure(() => storage.clear());
    },
    receive(message) {
      if (message.type === 'logged-out') {
        store.logOut(message.reason);
        void ignoreFailure(() => storage.clear());
        return;
      }
      if (transport === 'cookie') {
        store.setSession(fromStored({ ...message, accessToken: null, refreshToken: null }));
        return;
      }
      void load().then((session) => session && store.setSession(session));
    },
  };
}
