export { authRefreshExchange, type Auth, type AuthRefreshOptions } from './auth-exchange.ts';
export type { AuthState, AuthStatus, AuthUser } from './session-store.ts';
export { createAuthClient, type AuthClientOptions } from './create-auth-client.ts';
export type { AuthPayloadInput } from './documents.ts';
export type { TokenTransport } from './session-sync.ts';
export { createTabCoordinator, noTabCoordination, type TabCoordinator, type TabCoordinatorOptions, type TabMessage } from './tab-lock.ts';
export { memoryTokenStorage, parseStoredSession, webTokenStorage, type StoredSession, type TokenStorage } from './token-storage.ts';
