import { expect } from 'vitest';
import type { App } from '../../server/src/app.ts';
import { graphql } from './graphql-request.ts';

/** The operations most tests share, as a client would write them. */
export const SIGNUP = /* GraphQL */ `
  mutation Signup($input: SignupInput!, $transport: TokenTransport) {
    signup(input: $input, transport: $transport) {
      user { id email name }
      accessToken
      refreshToken
      accessTokenExpiresAt
      refreshTokenExpiresAt
    }
  }
`;

export const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!, $transport: TokenTransport) {
    login(input: $input, transport: $transport) {
      user { id email }
      accessToken
      refreshToken
      accessTokenExpiresAt
      refreshTokenExpiresAt
    }
  }
`;

export const REFRESH = /* GraphQL */ `
  mutation Refresh($refreshToken: String) {
    refresh(refreshToken: $refreshToken) {
      user { id }
      accessToken
      refreshToken
      accessTokenExpiresAt
      refreshTokenExpiresAt
    }
  }
`;

export const ME = /* GraphQL */ `
  query Me {
    me { id email name avatarUrl createdAt }
  }
`;

export const LOGOUT = /* GraphQL */ `
  mutation Logout($refreshToken: String) {
    logout(refreshToken: $refreshToken)
  }
`;

export interface AuthPayloadData {
  user: { id: string; email: string; name?: string };
  accessToken: string | null;
  refreshToken: string | null;
  accessTokenExpiresAt: string;
  refreshTokenExpiresAt: string;
}

let counter = 0;

/** A fresh, valid sign-up input; emails never collide across tests. */
export function newAccount(overrides: Partial<{ email: string; password: string; name: string }> = {}) {
  counter += 1;
  return { email: `user${counter}-${crypto.randomUUID().slice(0, 8)}@example.com`, password: 'correct horse battery', name: 'Test User', ...overrides };
}

export type Account = ReturnType<typeof newAccount>;

/** Signs `account` up over bearer (a fresh one unless given) and answers it with its first session. */
export async function signUpOverBearer(app: App, account: Account = newAccount()): Promise<{ account: Account; session: AuthPayloadData }> {
  const response = await graphql<{ signup: AuthPayloadData }>(app, SIGNUP, { variables: { input: account, transport: 'BEARER' } });
  expect(response.errors).toBeUndefined();
  return { account, session: response.data!.signup };
}

export const REQUEST_PASSWORD_RESET = 'mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }';

export const RESET_PASSWORD = /* GraphQL */ `
  mutation ResetPassword($token: String!, $newPassword: String!, $transport: TokenTransport) {
    resetPassword(token: $token, newPassword: $newPassword, transport: $transport) {
      user { id email emailVerified }
      accessToken
      refreshToken
      accessTokenExpiresAt
      refreshTokenExpiresAt
    }
  }
`;

export const SEND_VERIFICATION_EMAIL = 'mutation SendVerificationEmail { sendVerificationEmail }';

export const VERIFY_EMAIL = 'mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { id email emailVerified } }';

export const CHANGE_EMAIL = 'mutation ChangeEmail($newEmail: String!, $currentPassword: String!) { changeEmail(newEmail: $newEmail, currentPassword: $currentPassword) }';

export const CONFIRM_EMAIL_CHANGE = 'mutation ConfirmEmailChange($token: String!) { confirmEmailChange(token: $token) { id email emailVerified } }';

export const DELETE_ACCOUNT = 'mutation DeleteAccount($currentPassword: String!) { deleteAccount(currentPassword: $currentPassword) }';

export const ME_VERIFIED = 'query MeVerified { me { id email emailVerified } }';
