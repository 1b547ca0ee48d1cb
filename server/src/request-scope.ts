import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request values that log lines and masked errors carry without threading them through every call. */
export interface RequestScope {
  requestId: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Keeps a well-formed `x-request-id` from a proxy so log lines correlate; anything else gets a fresh id. */
export function requestIdFor(request: Request): string {
  const offered = request.headers.get('x-request-id');
  return offered && CLIENT_REQUEST_ID.test(offered) ? offered : crypto.randomUUID();
}
