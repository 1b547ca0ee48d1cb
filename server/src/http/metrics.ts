import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Plugin } from 'graphql-yoga';
import { Kind, type DocumentNode } from 'graphql';
import type { Logger } from '../logger.ts';
import { createAuthMetrics, type AuthMetrics } from '../auth/auth-metrics.ts';

export interface Metrics {
  registry: Registry;
  auth: AuthMetrics;
  requests: Counter<'route' | 'status'>;
  operationDuration: Histogram<'operation'>;
}

/** One registry per app, so two instances in one process (tests) do not share counters. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    requests: counter('http_requests_total', 'HTTP requests by route and status.', ['route', 'status']),
    operationDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operation latency, labelled by the root fields it selected.',
      labelNames: ['operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    auth: createAuthMetrics(registry),
  };
}

// Labels come from the schema's root fields, never from client-chosen operation names: bounded cardinality.
function operationLabel(document: DocumentNode, operationName: string | null | undefined): string {
  const operation = document.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 'unknown';
  const fields = operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []));
  return `${operation.operation}:${[...new Set(fields)].sort().join(',') || 'fragments'}`;
}

const routeOf = (pathname: string, graphqlEndpoint: string) =>
  pathname === graphqlEndpoint ? 'graphql' : ['/healthz', '/readyz', '/metrics', '/.well-known/jwks.json'].includes(pathname) ? pathname : 'other';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether `authorization` is `Bearer <token>`, compared in constant time. */
function presentsToken(authorization: string | null, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

/**
 * Counts requests, times operations, writes one access-log line per request, and serves `/metrics`:
 * to anyone who reaches it, or with `metricsToken` only to `Authorization: Bearer <metricsToken>`.
 */
export function useMetrics(metrics: Metrics, logger: Logger, graphqlEndpoint: string, metricsToken?: string): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      started.set(request, performance.now());
      if (url.pathname === '/metrics' && request.method === 'GET') {
        if (metricsToken && !presentsToken(request.headers.get('authorization'), metricsToken)) {
          return endResponse(new fetchAPI.Response('Send Authorization: Bearer <METRICS_TOKEN>.\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } }));
        }
        endResponse(new fetchAPI.Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } }));
      }
    },
    onExecute({ args }) {
      const begin = performance.now();
      const label = operationLabel(args.document, args.operationName);
      return { onExecuteDone: () => void metrics.operationDuration.observe({ operation: label }, (performance.now() - begin) / 1000) };
    },
    onResponse({ request, response }) {
      const url = new URL(request.url);
      const route = routeOf(url.pathname, graphqlEndpoint);
      metrics.requests.inc({ route, status: String(response.status) });
      const begin = started.get(request);
      if (route !== '/healthz' && route !== '/readyz' && route !== '/metrics') {
        logger.info(
          { method: request.method, path: url.pathname, status: response.status, ms: begin === undefined ? undefined : Math.round((performance.now() - begin) * 10) / 10 },
          'request',
        );
      }
    },
  };
}
