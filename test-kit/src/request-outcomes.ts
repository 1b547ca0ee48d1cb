import type { Plugin } from 'graphql-yoga';

/** What the server answered to one recorded request. */
export interface RequestOutcome {
  /** Set once the response went out. */
  status?: number;
  /** `extensions.reason` of the first error, when there was one. */
  reason?: string;
}

/** Yoga hooks that fill in, for each request a recorder keeps in `entries`, its reason and HTTP status. */
export function recordOutcomes(entries: WeakMap<Request, RequestOutcome>): Pick<Plugin, 'onExecutionResult' | 'onResponse'> {
  return {
    onExecutionResult({ request, result }) {
      const entry = entries.get(request);
      if (!entry || !result || Symbol.asyncIterator in result) return;
      const reason = result.errors?.[0]?.extensions?.reason;
      if (typeof reason === 'string') entry.reason = reason;
    },
    onResponse({ request, response }) {
      const entry = entries.get(request);
      if (entry) entry.status = response.status;
    },
  };
}
