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
      logger.error({ err: loggableError(original), path: located?.path }, 'database unavailable');
      const unavailable = serviceUnavailable();
      return new GraphQLError(unavailable.message, { ...at, extensions: { ...unavailable.extensions, requestId } });
    }
    logger.error({ err: loggableError(original), path: located?.path }, 'unexpected error');
    return new GraphQLError('Unexpected error.', { ...at, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } });
  };
}

/**
 * What of a server-side error reaches the log: its kind, message and stack, nothing else. Driver
 * errors carry the statement's parameters (PostgreSQL's `detail` and `where`, e.g. "parameter $1 =
 * '…'"), which may be a password hash, an email or a token; those fields are left behind.
 */
export function loggableError(error: unknown): { type: string; message: string; stack?: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: 'a value that is not an Error was thrown' };
  return { type: error.name, message: error.message, stack: error.stack };
}

/**
 * Yoga's own log calls. It reports every error it answered with, as the error itself, whose text
 * quotes the document (inline arguments: a password, a refresh token) or a variable's value; and
 * those errors are the client's mistakes (CSRF header missing, a limit, a parse or validation
 * error), not the server's. So errors are kept as their kind only, at debug; the server's own
 * failures are logged by the masker above, once, with their request id.
 */
export function yogaLogging(logger: Logger) {
  const describe = (args: unknown[]) => args.map((arg) => (arg instanceof Error ? `${arg.name} (details in the response)` : String(arg))).join(' ');
  return {
    debug: (...args: unknown[]) => logger.debug(describe(args)),
    info: (...args: unknown[]) => logger.info(describe(args)),
    warn: (...args: unknown[]) => logger.warn(describe(args)),
    error: (...args: unknown[]) => logger.debug(describe(args)),
  };
}
