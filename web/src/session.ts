import { createContext, createElement, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Provider } from 'urql';
import type { Auth, AuthState } from './auth/index.ts';
import { createAppClient } from './client.ts';
import { forgetGraphiQLStateOnLogout } from './graphiql-storage.ts';

const AuthContext = createContext<Auth | null>(null);

/**
 * Creates the app's client when it mounts and tears it down when it unmounts, and gives it to
 * urql's hooks and to {@link useAuth}. Created in an effect rather than during render, so React's
 * development double render and remount never leave a second client listening to the other tabs.
 * Renders nothing for the moment before the client exists.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [app, setApp] = useState<ReturnType<typeof createAppClient> | null>(null);
  useEffect(() => {
    const created = createAppClient();
    const stopForgetting = forgetGraphiQLStateOnLogout(created.auth, localStorage);
    setApp(created);
    return () => {
      stopForgetting();
      created.auth.dispose();
    };
  }, []);
  if (!app) return null;
  return createElement(Provider, { value: app.client }, createElement(AuthContext.Provider, { value: app.auth }, children));
}

/** The session handle (`setSession`, `logout`, …) of the app's client; only inside {@link SessionProvider}. */
export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth needs a SessionProvider above it.');
  return auth;
}

/** The session as the auth exchange knows it; re-renders on login, refresh and logout, in any tab. */
export function useAuthState(): AuthState {
  const auth = useAuth();
  return useSyncExternalStore(auth.subscribe, auth.getState);
}
