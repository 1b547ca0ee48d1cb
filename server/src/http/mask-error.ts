import { GraphQLError } from 'graphql';
import type { Logger } from '../logger.ts';
import { serviceUnavailable } from '../errors.ts';
import { isDatabaseUnavailable } from '../database/unavailable.ts';
import { requestScope } from '../request-scope.ts';

/**
 * Errors the code threw on purpose (GraphQL errors with a code) pass through; anything else is
 * logged with the request id and answered without SQL, stack or token material.
 */
export function createErrorMasker(logger: Logger) {
  return (error: unknown): Error => {
    const located = error instanceof GraphQLError ? error : undefined;
    const original = located?.originalError ?? error;
    if (located && original instanceof GraphQLError && original !== located) return located;
    if (located && original === located) {
      // A document that did not parse or validate (unknown field, a depth or cost limit): the client's mistake, with a code like every other error.
      if (located.extensions.code !== undefined) return located;
      const code = located.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED';
      return new GraphQLError(located.message, { nodes: located.nodes, source: located.source, positions: located.positions, path: located.path, extensions: { ...located.extensions, code } });
    }

    const requestId = requestScope.getStore()?.requestId;
    const at = { nodes: located?.nodes, source: located?.source, positions: located?.positions, path: located?.path };
    if (isDatabaseUnavailable(original)) {
      logger.error({ err: original, path: located?.path }, 'database unavailable');
      const unavailable = serviceUnavailable();
      return new GraphQLError(unavailable.message, { ...at, extensions: { ...unavailable.extensions, requestId } });
    }
    logger.error({ err: original, path: located?.path }, 'unexpected error');
    return new GraphQLError('Unexpected error.', { ...at, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } });
  };
}
