import { useState } from 'react';
import { useMutation } from 'urql';
import { takeAddressToken } from '../address-token.ts';
import { LinkPage, OnwardLink, type LinkVerdict } from '../components/link-page.tsx';
import { errorMessage, INVALID_LINK, isInvalidLinkError } from '../error-messages.ts';
import { graphql } from '../gql';
import { useRefreshViewer } from '../viewer.ts';

const VerifyEmailMutation = graphql(`
  mutation VerifyEmail($token: String!) {
    verifyEmail(token: $token) {
      id
      email
      emailVerified
    }
  }
`);

const INVALID_HELP = {
  loggedIn: 'While your address is not verified, the banner at the top of the page sends a new one.',
  loggedOut: 'Log in to have a new one sent.',
};

/**
 * `/verify-email?token=…`, from the email sent at sign-up: proves the address, logged in or not.
 * Logged in, the app's `me` is read again once it answers, so the banner asking for verification
 * goes at once.
 */
export function VerifyEmailPage() {
  const [, verifyEmail] = useMutation(VerifyEmailMutation);
  const refreshViewer = useRefreshViewer();
  const [token] = useState(() => takeAddressToken(location, history));
  return (
    <LinkPage
      name="verify-email"
      pageTitle="Verify your email"
      checkingTitle="Verifying your email…"
      token={token}
      send={async (token) => {
        const result = await verifyEmail({ token });
        if (result.data) await refreshViewer();
        return result;
      }}
      verdict={(outcome, loggedIn): LinkVerdict => {
        if (outcome.status === 'done') {
          return {
            tone: 'success',
            title: 'Email verified',
            message: `Thank you: ${outcome.data.verifyEmail.email} is verified.`,
            actions: <OnwardLink loggedIn={loggedIn} />,
          };
        }
        if (outcome.status === 'missing' || isInvalidLinkError(outcome.error)) {
          return {
            tone: 'error',
            title: 'This link does not work',
            message: `${INVALID_LINK} ${loggedIn ? INVALID_HELP.loggedIn : INVALID_HELP.loggedOut}`,
            actions: <OnwardLink loggedIn={loggedIn} />,
          };
        }
        return { tone: 'error', title: 'Your email is not verified yet', message: errorMessage(outcome.error), actions: <OnwardLink loggedIn={loggedIn} />, retry: true };
      }}
    />
  );
}
