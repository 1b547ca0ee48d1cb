import { useState } from 'react';
import { useMutation } from 'urql';
import { takeAddressToken } from '../address-token.ts';
import { LinkPage, OnwardLink, type LinkVerdict } from '../components/link-page.tsx';
import { errorCode, errorMessage, INVALID_LINK, isInvalidLinkError } from '../error-messages.ts';
import { graphql } from '../gql';
import { useRefreshViewer } from '../viewer.ts';

const ConfirmEmailChangeMutation = graphql(`
  mutation ConfirmEmailChange($token: String!) {
    confirmEmailChange(token: $token) {
      id
      email
      emailVerified
    }
  }
`);

/**
 * `/confirm-email?token=…`, from the email sent to a new address: the account moves to it, logged
 * in or not. Logged in, the `User` it answers makes urql refetch what shows the old address.
 */
export function ConfirmEmailPage() {
  const [, confirmEmailChange] = useMutation(ConfirmEmailChangeMutation);
  const refreshViewer = useRefreshViewer();
  const [token] = useState(() => takeAddressToken(location, history));
  return (
    <LinkPage
      name="confirm-email"
      pageTitle="Confirm your new email"
      checkingTitle="Confirming your new email…"
      token={token}
      send={async (token) => {
        const result = await confirmEmailChange({ token });
        if (result.data) await refreshViewer();
        return result;
      }}
      verdict={(outcome, loggedIn): LinkVerdict => {
        const actions = <OnwardLink loggedIn={loggedIn} />;
        if (outcome.status === 'done') {
          const { email } = outcome.data.confirmEmailChange;
          return { tone: 'success', title: 'Email address changed', message: `Your account now uses ${email}. Log in with it from now on.`, actions };
        }
        if (outcome.status === 'missing' || isInvalidLinkError(outcome.error)) {
          const help = loggedIn ? 'Change the address again on your profile to have a new one sent.' : 'Log in and change the address again to have a new one sent.';
          return { tone: 'error', title: 'This link does not work', message: `${INVALID_LINK} ${help}`, actions };
        }
        if (errorCode(outcome.error) === 'EMAIL_TAKEN') {
          return {
            tone: 'error',
            title: 'Email address not changed',
            message: 'Another account started using this address after you asked for the change, so your account keeps its address.',
            actions,
          };
        }
        return { tone: 'error', title: 'Email address not changed yet', message: errorMessage(outcome.error), actions, retry: true };
      }}
    />
  );
}
