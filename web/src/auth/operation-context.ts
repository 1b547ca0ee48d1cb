import { makeOperation, type Operation, type OperationContext } from '@urql/core';

/** Root fields of mutations that start, renew or end a session: their errors never trigger a refresh, nor do they refresh first. */
const SESSION_FIELDS = new Set(['login', 'signup', 'resetPassword', 'completeLogin', 'loginWithPasskey', 'refresh', 'logout']);

const rootFieldCache = new WeakMap<object, string[]>();

/** The root field names of the operation's first operation definition (fragments at the root are not followed). */
export function rootFieldNames(operation: Operation): string[] {
  const cached = rootFieldCache.get(operation.query);
  if (cached) return cached;
  const names: string[] = [];
  for (const definition of operation.query.definitions) {
    const kind: string = definition.kind;
    if (kind !== 'OperationDefinition' || !('selectionSet' in definition)) continue;
    for (const selection of definition.selectionSet.selections) {
      const selectionKind: string = selection.kind;
      if (selectionKind === 'Field' && 'name' in selection && selection.name) names.push(selection.name.value);
    }
    break;
  }
  rootFieldCache.set(operation.query, names);
  return names;
}

/** True for `login`, `signup`, `resetPassword`, `completeLogin`, `loginWithPasskey`, `refresh` and `logout` mutations (alone or together). */
export function isSessionMutation(operation: Operation): boolean {
  return operation.kind === 'mutation' && rootFieldNames(operation).some((name) => SESSION_FIELDS.has(name));
}

/** The auth generation an operation was sent with (see `AuthState.generation`). */
export function generationOf(operation: Operation): number | undefined {
  const value: unknown = operation.context.authGeneration;
  return typeof value === 'number' ? value : undefined;
}

/** True for the exchange's own refresh mutation. */
export function isOwnRefresh(operation: Operation): boolean {
  return operation.context.authRefresh === true;
}

function headersOf(init: RequestInit): Record<string, string> {
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => {
    headers[key] = value;
  });
  return headers;
}

export interface OperationAuth {
  generation: number;
  /** Headers to set; `null` removes one (a replay must not keep a token from before). */
  headers: Record<string, string | null>;
  credentials?: RequestCredentials;
  /** `error` refuses to follow redirects. */
  redirect?: RequestRedirect;
  /** Replaces the transport's fetch, e.g. to refuse every request of a disposed client. */
  fetch?: typeof fetch;
}

/** Tags the operation with its generation and merges headers (and credentials) into its fetch options. */
export function withAuth(operation: Operation, auth: OperationAuth): Operation {
  const { fetchOptions } = operation.context;
  const base = (typeof fetchOptions === 'function' ? fetchOptions() : fetchOptions) ?? {};
  const headers = headersOf(base);
  for (const [name, value] of Object.entries(auth.headers)) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  const context: Partial<OperationContext> = {
    authGeneration: auth.generation,
    fetchOptions: {
      ...base,
      ...(auth.credentials ? { credentials: auth.credentials } : {}),
      ...(auth.redirect ? { redirect: auth.redirect } : {}),
      headers,
    },
    ...(auth.fetch ? { fetch: auth.fetch } : {}),
  };
  return makeOperation(operation.kind, operation, { ...operation.context, ...context });
}
