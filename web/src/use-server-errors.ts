import { useEffect, useRef, useState } from 'react';
import type { CombinedError } from 'urql';
import { announce } from './announcer.ts';
import { formErrors, rateLimitedMessage, type FormErrors } from './error-messages.ts';
import { useCountdown } from './use-countdown.ts';

/** The message above a form whose own checks found `count` fields to correct. */
export function fieldsToCorrectMessage(count: number): string {
  return count === 1 ? 'One field needs correcting.' : `${count} fields need correcting.`;
}

/**
 * A form's errors, the one way every form shows them: field errors under their inputs (linked to
 * them, and the first invalid input focused), one message above the button, announced once, and for
 * `RATE_LIMITED` a message that counts the wait down while the button stays inactive. The
 * countdown is announced when it starts, not at every tick. Give `formRef` to the `<form>`.
 */
export function useServerErrors(inputs: readonly string[]) {
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [focusRequests, setFocusRequests] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const wait = useCountdown();
  const rateLimited = errors.retryAfterSeconds !== undefined;

  // After the errors rendered: the first input marked invalid, in the form's order.
  useEffect(() => {
    if (focusRequests > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequests]);

  return {
    formRef,
    fields: errors.fields,
    formMessage: rateLimited ? (wait.secondsLeft > 0 ? rateLimitedMessage(wait.secondsLeft) : undefined) : errors.form,
    waiting: wait.secondsLeft > 0,
    /**
     * Shows the mistakes the form found itself, all at once (none clears every error). Returns
     * whether there were none, that is whether to ask the server.
     */
    check(mistakes: Record<string, string>): boolean {
      const count = Object.keys(mistakes).length;
      if (count === 0) {
        setErrors({ fields: {} });
        return true;
      }
      const message = fieldsToCorrectMessage(count);
      setErrors({ form: message, fields: mistakes });
      setFocusRequests((requests) => requests + 1);
      announce(message);
      return false;
    },
    /** Shows what the server said about the last attempt. */
    report(error: CombinedError | undefined) {
      const failure = formErrors(error, inputs);
      setErrors(failure);
      if (failure.retryAfterSeconds) {
        wait.start(failure.retryAfterSeconds);
        announce(rateLimitedMessage(failure.retryAfterSeconds));
      } else if (failure.form) {
        announce(failure.form);
      }
      // The input the server named reads its error when it gets focus.
      if (Object.keys(failure.fields).length > 0) setFocusRequests((requests) => requests + 1);
    },
  };
}
