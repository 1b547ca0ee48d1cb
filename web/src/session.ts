import { useSyncExternalStore } from 'react';
import type { AuthState } from './auth/index.ts';
import { auth } from './client.ts';

/** The session as the auth exchange knows it; re-renders on login, refresh and logout, in any tab. */
export function useAuthState(): AuthState {
  return useSyncExternalStore(auth.subscribe, auth.getState);
}
