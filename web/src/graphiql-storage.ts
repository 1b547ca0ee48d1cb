import type { Auth } from './auth/index.ts';

/** What GraphiQL (served at `/graphql`, on the app's origin) keeps in localStorage starts with this. */
const GRAPHIQL_PREFIX = 'graphiql:';

type KeyedStorage = Pick<Storage, 'length' | 'key' | 'removeItem'>;

/**
 * Removes everything GraphiQL stored: its documents, variables, history and tabs may hold tokens
 * or passwords someone pasted there, and none of it should outlive the session.
 */
export function forgetGraphiQLState(storage: KeyedStorage): void {
  const keys: string[] = [];
  for (let index = 0; index < storage.length; index += 1) {
    const key = storage.key(index);
    if (key?.startsWith(GRAPHIQL_PREFIX)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}

/**
 * Forgets GraphiQL's storage whenever the session ends: a logout here or in another tab, a
 * revocation the server reported. Returns the unsubscribe function.
 */
export function forgetGraphiQLStateOnLogout(auth: Pick<Auth, 'subscribe'>, storage: KeyedStorage): () => void {
  return auth.subscribe((state) => {
    if (state.status === 'logged-out') forgetGraphiQLState(storage);
  });
}
