import { userReference, type AuthUser, type Session } from './session-store.ts';

/**
 * Where the client keeps its session between runs: memory by default, `localStorage`, a file, a
 * keychain. A `load` that fails leaves the client's status `unknown`; failures of `save` and
 * `clear` are ignored, so a broken store never breaks requests.
 */
export interface TokenStorage {
  load(): Session | null | Promise<Session | null>;
  save(session: Session): void | Promise<void>;
  clear(): void | Promise<void>;
}

/** Keeps the session in memory only: the default, and the right choice for short-lived programs. */
export function memoryTokenStorage(initial: Session | null = null): TokenStorage {
  let current = initial;
  return {
    load: () => current,
    save: (session) => void (current = session),
    clear: () => void (current = null),
  };
}

/** The value when it is a string or null; `undefined` for anything else. */
const nullableString = (value: unknown): string | null | undefined =>
  value === null || typeof value === 'string' ? value : undefined;

function isUser(value: unknown): value is AuthUser {
  return typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string';
}

/** Checks what came out of a store, which anything else on the origin could have written. */
export function parseStoredSession(value: unknown): Session | null {
  if (typeof value !== 'object' || value === null) return null;
  const record: Record<string, unknown> = { ...value };
  const user = record.user;
  const accessTokenExpiresAt = nullableString(record.accessTokenExpiresAt);
  const refreshTokenExpiresAt = nullableString(record.refreshTokenExpiresAt);
  const accessToken = nullableString(record.accessToken);
  const refreshToken = nullableString(record.refreshToken);
  if (!(user === null || isUser(user))) return null;
  if (accessTokenExpiresAt === undefined || refreshTokenExpiresAt === undefined) return null;
  if (accessToken === undefined || refreshToken === undefined) return null;
  // A session stored by an older version may name more of the user than the id.
  return { user: userReference(user), accessTokenExpiresAt, refreshTokenExpiresAt, accessToken, refreshToken };
}

/**
 * Keeps the session in a Web Storage area (`localStorage`, `sessionStorage`) under `key`.
 *
 * With cookie transport this holds only expiry times and the user's id, so a reload still refreshes
 * before expiry. With bearer transport it would hold the tokens, where any script on the page can
 * read them: browsers should use cookie transport instead.
 */
export function webTokenStorage(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
  key = 'graphql-auth.session',
): TokenStorage {
  return {
    load() {
      const text = storage.getItem(key);
      if (text === null) return null;
      try {
        return parseStoredSession(JSON.parse(text));
      } catch {
        return null;
      }
    },
    save: (session) => storage.setItem(key, JSON.stringify(session)),
    clear: () => storage.removeItem(key),
  };
}
