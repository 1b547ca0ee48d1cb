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
