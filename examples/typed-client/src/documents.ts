import { graphql } from './gql/index.ts';

/** Bearer transport: the tokens come back in the payload, and the server sets no cookie. */
export const LoginMutation = graphql(`
  mutation TypedClientLogin($input: LoginInput!) {
    login(input: $input, transport: BEARER) {
      user {
        id
        email
        name
      }
      accessToken
      refreshToken
      accessTokenExpiresAt
      refreshTokenExpiresAt
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
