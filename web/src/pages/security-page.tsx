import { useQuery } from 'urql';
import { AuthenticatorAppSection } from '../components/authenticator-app-section.tsx';
import { PageError } from '../components/page-error.tsx';
import { PasskeysSection } from '../components/passkeys-section.tsx';
import { errorMessage } from '../error-messages.ts';
import { graphql } from '../gql';
import { usePageArrival } from '../use-page-arrival.ts';

const SecurityPageQuery = graphql(`
  query SecurityPage {
    me {
      id
      email
      secondFactors {
        totpEnabled
        recoveryCodesLeft
      }
    }
    passkeys {
      id
      name
      createdAt
      lastUsedAt
    }
  }
`);

/** Two-step verification: the authenticator app with its recovery codes, and passkeys. */
export function SecurityPage() {
  const heading = usePageArrival('Security');
  const [{ data, error }, reexecute] = useQuery({ query: SecurityPageQuery, requestPolicy: 'network-only' });
  const reload = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <div className="page" data-page="security">
      <section className="card" aria-labelledby="security-page-title" aria-busy={!data}>
        <h1 id="security-page-title" ref={heading} tabIndex={-1}>
          Security
        </h1>
        <p className="muted">A second step after your password keeps your account safe even if someone learns the password.</p>
        {!data && error && <PageError message={errorMessage(error)} onRetry={reload} />}
      </section>
      {data && (
        <>
          <AuthenticatorAppSection
            account={data.me.email}
            totpEnabled={data.me.secondFactors.totpEnabled}
            recoveryCodesLeft={data.me.secondFactors.recoveryCodesLeft}
            onChanged={reload}
          />
          <PasskeysSection passkeys={data.passkeys} onChanged={reload} />
        </>
      )}
    </div>
  );
}
