import type { Plugin } from 'graphql-yoga';

/** What the server answered to one recorded request. */
export interface RequestOutcome {
  /** Set once the response went out. */
  status?: number;
  /** `extensions.reason` of the first error, when there was one. */
  reason?: string;
}

/** The operation a GraphQL request names, and the first characters of its document (to tell anonymous ones apart). */
export async function readOperation(request: Request, url: URL): Promise<{ operationName: string | null; document: string }> {
  if (request.method === 'GET') {
    return { operationName: url.searchParams.get('operationName'), document: (url.searchParams.get('query') ?? '').slice(0, 200) };
  }
  try {
    const body: unknown = await request.clone().json();
    if (typeof body !== 'object' || body === null) return { operationName: null, document: '' };
    const operationName = 'operationName' in body && typeof body.operationName === 'string' ? body.operationName : null;
    const document = 'query' in body && typeof body.query === 'string' ? body.query.slice(0, 200) : '';
    return { operationName, document };
  } catch {
    return { operationName: null, document: '' };
  }
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
