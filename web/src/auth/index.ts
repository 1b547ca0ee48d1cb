export { authRefreshExchange, type Auth, type AuthRefreshOptions } from './auth-exchange.ts';
export { createAuthClient, type AuthClientOptions } from './create-auth-client.ts';
export type { AuthPayloadInput } from './documents.ts';
export type { AuthState, AuthStatus, AuthUser, Session, TokenTransport } from './session-store.ts';
export type { TabOptions } from './tab-lock.ts';
export { memoryTokenStorage, parseStoredSession, webTokenStorage, type TokenStorage } from './token-storage.ts';
