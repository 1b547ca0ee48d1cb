import { useState } from 'react';
import { useMutation } from 'urql';
import { announce } from '../announcer.ts';
import { errorMessage, formErrors, rateLimitedMessage } from '../error-messages.ts';
import { graphql } from '../gql';
import { useCountdown } from '../use-countdown.ts';
import { FormAlert } from './form-alert.tsx';

const SendVerificationEmailMutation = graphql(`
  mutation SendVerificationEmail {
    sendVerificationEmail
  }
`);

/**
 * Asks for proof of the address while it is unverified, with a button that sends a new link. The
 * outcome is announced once and shown after the request; `RATE_LIMITED` counts down on screen,
 * the button inactive (not disabled, so it keeps focus) until the wait is over.
 */
export function VerifyEmailBanner({ email }: { email: string }) {
  const [{ fetching }, sendVerificationEmail] = useMutation(SendVerificationEmailMutation);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string }>();
  const wait = useCountdown();
  const inactive = fetching || wait.secondsLeft > 0;

  const resend = async () => {
    setMessage(undefined);
    const result = await sendVerificationEmail({});
    if (result.data?.sendVerificationEmail) {
      const text = `Sent: a new link is on its way to ${email}.`;
      setMessage({ tone: 'success', text });
      return announce(text);
    }
    const { retryAfterSeconds } = result.error ? formErrors(result.error, []) : {};
    if (retryAfterSeconds) {
      wait.start(retryAfterSeconds);
      return announce(rateLimitedMessage(retryAfterSeconds));
    }
    const text = result.error ? errorMessage(result.error) : 'The email was not sent. Please try again.';
    setMessage({ tone: 'error', text });
    announce(text);
  };

  // The countdown's text follows the clock; it was announced once, when it started.
  const shown = wait.secondsLeft > 0 ? { tone: 'error', text: rateLimitedMessage(wait.secondsLeft) } : message;

  return (
    <section className="shell-notice" aria-label="Email verification" data-testid="verify-email-banner">
      <FormAlert tone="info">
        <p>
          <strong>Please verify your email address.</strong> Follow the link we sent to {email}.
        </p>
        <button
          type="button"
          className="button button-quiet alert-action"
          aria-disabled={inactive || undefined}
          aria-busy={fetching || undefined}
          onClick={inactive ? undefined : () => void resend()}
        >
          {fetching ? 'Sending…' : 'Resend email'}
        </button>
        {shown && (
          <p className="banner-status" data-banner-status={shown.tone}>
            {shown.text}
          </p>
        )}
      </FormAlert>
    </section>
  );
}
