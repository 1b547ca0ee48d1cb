/** What GraphiQL (served at `/graphql`, on the app's origin) keeps in localStorage starts with this. */
const GRAPHIQL_PREFIX = 'graphiql:';

/**
 * Removes everything GraphiQL stored: its documents, variables, history and tabs may hold tokens
 * or passwords someone pasted there, and none of it should outlive the session.
 */
export function forgetGraphiQLState(storage: Pick<Storage, 'length' | 'key' | 'removeItem'>): void {
  const keys: string[] = [];
  for (let index = 0; index < storage.length; index += 1) {
    const key = storage.key(index);
    if (key?.startsWith(GRAPHIQL_PREFIX)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}
