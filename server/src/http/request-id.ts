import type { Plugin } from 'graphql-yoga';
import { requestIdFor, requestScope } from '../request-scope.ts';

/** Gives every request an id, echoed in `x-request-id` and carried by its log lines and masked errors. */
export function useRequestId(): Plugin {
  const ids = new WeakMap<Request, string>();
  return {
    instrumentation: {
      request: ({ request }, wrapped) => {
        const requestId = requestIdFor(request);
        ids.set(request, requestId);
        return requestScope.run({ requestId }, wrapped);
      },
    },
    onResponse({ request, response }) {
      const requestId = ids.get(request);
      if (requestId) response.headers.set('x-request-id', requestId);
    },
  };
}
