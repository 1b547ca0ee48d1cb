import { graphql } from './gql/index.ts';

/** What every bearer login hands over: both tokens and when each expires. */
export const TokensFragment = graphql(`
  fragment TypedClientTokens on AuthPayload {
    accessToken
    refreshToken
    accessTokenExpiresAt
    refreshTokenExpiresAt
  }
`);

/** Bearer transport: the tokens come back in the payload, and the server sets no cookie. */
export const LoginMutation = graphql(`
  mutation TypedClientLogin($input: LoginInput!) {
    login(input: $input, transport: BEARER) {
      user {
        id
        email
        name
      }
      ...TypedClientTokens
    }
  }
`);

export const MeQuery = graphql(`
  query TypedClientMe {
    me {
      id
      email
      name
      createdAt
    }
  }
`);

/** Always true, whether or not the address has an account: the answer tells a stranger nothing. */
export const RequestPasswordResetMutation = graphql(`
  mutation TypedClientRequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

/** The emailed token sets a new password and logs in here, with bearer tokens like `login`. */
export const ResetPasswordMutation = graphql(`
  mutation TypedClientResetPassword($token: String!, $newPassword: String!) {
    resetPassword(token: $token, newPassword: $newPassword, transport: BEARER) {
      user {
        id
        email
        emailVerified
      }
      ...TypedClientTokens
    }
  }
`);

/** Proves the address with the emailed token; needs no login. */
export const VerifyEmailMutation = graphql(`
  mutation TypedClientVerifyEmail($token: String!) {
    verifyEmail(token: $token) {
      id
      email
      emailVerified
    }
  }
`);

/** Asks for a new verification link for the logged-in account. */
export const SendVerificationEmailMutation = graphql(`
  mutation TypedClientSendVerificationEmail {
    sendVerificationEmail
  }
`);

/** The second step of a login that answered SECOND_FACTOR_REQUIRED: the challenge and a code from the authenticator app (or a recovery code). */
export const CompleteLoginMutation = graphql(`
  mutation TypedClientCompleteLogin($challenge: String!, $code: String!) {
    completeLogin(challenge: $challenge, code: $code, transport: BEARER) {
      user {
        id
        email
        name
      }
      ...TypedClientTokens
    }
  }
`);
