/** One load run: autocannon against the server, every response checked. */
import autocannon from 'autocannon';
import { describeFailure, HEADERS, type GraphQLBody } from './graphql-client.ts';

/** What one load run measured: a row of the report's table. */
export interface LoadResult {
  label: string;
  connections: number;
  durationS: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  firstError?: string;
}

export interface LoadSpec {
  label: string;
  connections: number;
  durationS: number;
  /** A fixed request body, or one built per request. */
  body: string | (() => string);
  headers?: Record<string, string>;
  /** Reads the response; returns true, or a message when it is not what the scenario expects. */
  check: (status: number, parsed: GraphQLBody) => true | string;
}

/**
 * Runs `spec` against `${base}/graphql` for its duration. A response counts as an error when it
 * is no JSON or its check fails; connection errors and non-2xx answers are counted apart, and the
 * larger of the two counts is reported (a non-2xx answer usually fails the check too).
 */
export async function runLoad(base: string, spec: LoadSpec): Promise<LoadResult> {
  let failures = 0;
  let firstError: string | undefined;
  const dynamic = typeof spec.body === 'function' ? spec.body : undefined;
  const request: autocannon.Request = {
    method: 'POST',
    path: '/graphql',
    headers: { ...HEADERS, ...spec.headers },
    body: typeof spec.body === 'string' ? spec.body : undefined,
    ...(dynamic ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: dynamic() }) } : {}),
    onResponse: (status: number, text: string) => {
      let verdict: true | string;
      try {
        verdict = spec.check(status, JSON.parse(text) as GraphQLBody);
      } catch {
        verdict = describeFailure(status, text);
      }
      if (verdict !== true) {
        failures += 1;
        firstError ??= verdict;
      }
    },
  };
  const result = await autocannon({
    url: base,
    connections: spec.connections,
    duration: spec.durationS,
    timeout: 20,
    requests: [request],
  });
  const transportErrors = result.errors + result.non2xx;
  return {
    label: spec.label,
    connections: spec.connections,
    durationS: spec.durationS,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: Math.max(failures, transportErrors),
    firstError: firstError ?? (transportErrors > 0 ? `${result.errors} connection errors (${result.timeouts} time-outs), ${result.non2xx} non-2xx` : undefined),
  };
}
