import { useState } from 'react';
import type { CombinedError } from 'urql';
import { formErrors, rateLimitedMessage, type FormErrors } from './error-messages.ts';
import { useCountdown } from './use-countdown.ts';

/**
 * A form's errors: field errors under their inputs, one message above the button, and for
 * `RATE_LIMITED` a message that counts the wait down while the button stays disabled.
 */
export function useServerErrors(inputs: readonly string[]) {
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const wait = useCountdown();
  const rateLimited = errors.retryAfterSeconds !== undefined;
  return {
    fields: errors.fields,
    formMessage: rateLimited ? (wait.secondsLeft > 0 ? rateLimitedMessage(wait.secondsLeft) : undefined) : errors.form,
    waiting: wait.secondsLeft > 0,
    /** Shows what the server said about the last attempt. */
    report(error: CombinedError | undefined) {
      const failure = formErrors(error, inputs);
      if (failure.retryAfterSeconds) wait.start(failure.retryAfterSeconds);
      setErrors(failure);
    },
    /** Shows errors found before asking the server (none clears them). */
    showFieldErrors(fields: Record<string, string> = {}) {
      setErrors({ fields });
    },
  };
}
