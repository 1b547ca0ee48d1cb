import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { auth } from './client.ts';
import { graphql } from './gql';

const MeQuery = graphql(`
  query AppMe {
    me {
      id
      email
      name
    }
  }
`);

const LoginMutation = graphql(`
  mutation AppLogin($input: LoginInput!) {
    login(input: $input) {
      user {
        id
        email
        name
      }
      accessTokenExpiresAt
      refreshTokenExpiresAt
    }
  }
`);

/** A first screen: who is signed in, a login form otherwise. The full app comes with its own issue. */
export function App() {
  const [me, refetchMe] = useQuery({ query: MeQuery, requestPolicy: 'network-only' });
  const [login, runLogin] = useMutation(LoginMutation);
  const session = useSyncExternalStore(auth.subscribe, auth.getState);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await runLogin({ input: { email, password } });
    if (!result.data) return;
    await auth.setSession(result.data.login);
    refetchMe({ requestPolicy: 'network-only' });
  };

  const logout = async () => {
    await auth.logout();
    refetchMe({ requestPolicy: 'network-only' });
  };

  if (me.fetching) return <main>Loading…</main>;
  // The auth exchange reports a session that ended (logout elsewhere, a failed refresh) at once.
  if (me.data && session.status !== 'logged-out') {
    return (
      <main>
        <h1>Hello, {me.data.me.name}</h1>
        <p>Signed in as {me.data.me.email}.</p>
        <button onClick={logout}>Log out</button>
      </main>
    );
  }
  return (
    <main>
      <h1>Log in</h1>
      <form onSubmit={submit}>
        <label>
          Email <input type="email" value={email} onChange={(event) => setEmail(event.target.value)} required />
        </label>
        <label>
          Password <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        </label>
        <button type="submit" disabled={login.fetching}>
          Log in
        </button>
        {login.error && <p role="alert">{login.error.graphQLErrors[0]?.message ?? 'Could not log in.'}</p>}
      </form>
    </main>
  );
}
