import { gql } from '@urql/core';
import type { AuthUser } from './session-store.ts';

/**
 * An `AuthPayload` as `login`, `signup` and `refresh` return it. Select at least
 * `accessTokenExpiresAt` (and, for bearer transport, `accessToken` and `refreshToken`) in your
 * `login`/`signup` mutations and hand the payload to `auth.setSession`.
 */
export interface AuthPayloadInput {
  user?: AuthUser | null;
  /** ISO 8601 string (as GraphQL returns it) or a Date. */
  accessTokenExpiresAt: string | Date;
  refreshTokenExpiresAt?: string | Date | null;
  /** Bearer transport only; `null` with cookie transport. */
  accessToken?: string | null;
  refreshToken?: string | null;
}

/**
 * The one selection of an `AuthPayload` in the web app: the exchange's refresh spreads it, and so do
 * the app's `login` and `signup` (codegen finds it by name). It holds what `auth.setSession` takes;
 * the tokens are `null` with cookie transport.
 */
export const AuthPayloadFields = gql<AuthPayloadData>`
  fragment AuthPayloadFields on AuthPayload {
    user {
      id
    }
    accessTokenExpiresAt
    refreshTokenExpiresAt
    accessToken
    refreshToken
  }
`;

/** The fields of {@link AuthPayloadFields}. */
export interface AuthPayloadData {
  user: { id: string };
  accessTokenExpiresAt: string;
  refreshTokenExpiresAt: string;
  accessToken: string | null;
  refreshToken: string | null;
}

/** Without `refreshToken` the server reads the refresh cookie and answers in cookie form. */
export interface RefreshData {
  refresh: AuthPayloadData;
}

export const RefreshMutation = gql<RefreshData, { refreshToken?: string | null }>`
  mutation AuthRefresh($refreshToken: String) {
    refresh(refreshToken: $refreshToken) {
      ...AuthPayloadFields
    }
  }
  ${AuthPayloadFields}
`;

/** Asks the server whether the session still holds; the auth exchange acts on its answer. */
export const SessionCheckQuery = gql<{ me: { id: string } }, Record<string, never>>`
  query AuthSessionCheck {
    me {
      id
    }
  }
`;

export const LogoutMutation = gql<{ logout: boolean }, { refreshToken?: string | null }>`
  mutation AuthLogout($refreshToken: String) {
    logout(refreshToken: $refreshToken)
  }
`;
