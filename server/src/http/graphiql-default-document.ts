/**
 * What GraphiQL's editor holds on a first visit: sign up (or log in), then `me`, each ready to run
 * from the Execute button's menu. The cookies the first two set make `me` work in the same page.
 */
export const GRAPHIQL_DEFAULT_DOCUMENT = `# Welcome. Run these with the Execute button (it asks which one), in this order:
#   Signup: creates the account and logs in (name is required); Login: when it exists already.
#   Me: who you are, through the cookies Signup or Login set in this page.

mutation Signup {
  signup(input: { email: "ada@example.com", password: "correct horse battery", name: "Ada" }) {
    user { id email name }
    accessTokenExpiresAt
  }
}

mutation Login {
  login(input: { email: "ada@example.com", password: "correct horse battery" }) {
    user { id email name }
    accessTokenExpiresAt
  }
}

query Me {
  me { id email name avatarUrl createdAt }
}
`;
