import type { Logger } from './logger.ts';
import { loggableError } from './http/mask-error.ts';

/** Work a request leaves to run after its answer, one task at a time per instance. */
export interface DeferredWork {
  /** Queues `task`; `what` names it in logs. Beyond `maxPending` waiting tasks it is dropped with a warning. */
  defer(what: string, task: () => Promise<void>): void;
  /** Resolves once every queued task has run (for shutdown, and for tests that need the queue empty). */
  drained(): Promise<void>;
}

/**
 * Runs tasks after the answer that scheduled them went out, in order, one at a time: an answer
 * whose work depends on a secret (does this email have an account?) then takes the same time
 * whatever the secret is, and a flood of such requests cannot take more than one database
 * connection. A task's failure is logged (as its kind, never its data) and does not stop the next.
 */
export function createDeferredWork({ logger, maxPending = 1000 }: { logger: Logger; maxPending?: number }): DeferredWork {
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;
  return {
    defer(what, task) {
      if (pending >= maxPending) {
        logger.warn({ what, pending }, 'deferred work dropped: more is waiting than the instance can keep');
        return;
      }
      pending += 1;
      tail = tail
        .then(task)
        .catch((error: unknown) => logger.error({ err: loggableError(error), what }, 'deferred work failed'))
        .finally(() => void (pending -= 1));
    },
    drained: () => tail,
  };
}
