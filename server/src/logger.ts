import { pino, type Logger } from 'pino';
import { requestScope } from './request-scope.ts';

export type { Logger };

/** Structured logs; each line carries the request id of the request it was written for. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      mixin: () => {
        const scope = requestScope.getStore();
        return scope ? { requestId: scope.requestId } : {};
      },
      // Secrets must never reach a log line, even when a whole request object is logged by mistake.
      redact: {
        paths: ['*.authorization', '*.cookie', '*.password', '*.refreshToken', '*.accessToken', '*.headers.authorization', '*.headers.cookie'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
