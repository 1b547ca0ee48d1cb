import type { App } from '../../server/src/app.ts';
import { graphql, type GraphQLResponse, type RequestOptions } from './graphql-request.ts';
import type { AuthPayloadData } from './operations.ts';
import type { CeremonyOverrides, SoftwareAuthenticator } from './software-authenticator.ts';

/** The passkey operations as a client writes them. */
export const PASSKEY_REGISTRATION_OPTIONS = 'mutation PasskeyRegistrationOptions { passkeyRegistrationOptions }';
export const REGISTER_PASSKEY = 'mutation RegisterPasskey($response: String!, $name: String!) { registerPasskey(response: $response, name: $name) { id name createdAt lastUsedAt } }';
export const PASSKEYS = 'query Passkeys { passkeys { id name createdAt lastUsedAt } }';
export const RENAME_PASSKEY = 'mutation RenamePasskey($id: ID!, $name: String!) { renamePasskey(id: $id, name: $name) { id name createdAt lastUsedAt } }';
export const REMOVE_PASSKEY = 'mutation RemovePasskey($id: ID!) { removePasskey(id: $id) }';
export const PASSKEY_LOGIN_OPTIONS = 'mutation PasskeyLoginOptions { passkeyLoginOptions }';
export const LOGIN_WITH_PASSKEY = /* GraphQL */ `
  mutation LoginWithPasskey($response: String!, $transport: TokenTransport) {
    loginWithPasskey(response: $response, transport: $transport) {
      user { id email }
      accessToken
      refreshToken
      accessTokenExpiresAt
      refreshTokenExpiresAt
    }
  }
`;

export interface PasskeyData {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Who is asking: a bearer token or a browser's cookie jar, plus any headers (a client address). */
export type Caller = Pick<RequestOptions, 'token' | 'jar' | 'headers'>;

/** Asks for creation options as the signed-in caller; throws with the answer if refused. */
export async function registrationOptions(app: App, caller: Caller): Promise<string> {
  const response = await graphql<{ passkeyRegistrationOptions: string }>(app, PASSKEY_REGISTRATION_OPTIONS, caller);
  if (!response.data?.passkeyRegistrationOptions) throw new Error(`no registration options: ${response.text}`);
  return response.data.passkeyRegistrationOptions;
}

/** Sends a registration response as the caller. */
export function sendRegistration(app: App, caller: Caller, response: unknown, name = 'Security key'): Promise<GraphQLResponse<{ registerPasskey: PasskeyData }>> {
  return graphql<{ registerPasskey: PasskeyData }>(app, REGISTER_PASSKEY, { ...caller, variables: { response: typeof response === 'string' ? response : JSON.stringify(response), name } });
}

/** The whole registration as a browser runs it: options, the authenticator, the response. */
export async function addPasskey(app: App, caller: Caller, authenticator: SoftwareAuthenticator, name = 'Security key'): Promise<PasskeyData> {
  const options = await registrationOptions(app, caller);
  const answer = await sendRegistration(app, caller, authenticator.createCredential(options), name);
  if (!answer.data?.registerPasskey) throw new Error(`passkey not registered: ${answer.text}`);
  return answer.data.registerPasskey;
}

/** Asks for login options (no login needed); throws with the answer if refused. */
export async function loginOptions(app: App, caller: Caller = {}): Promise<string> {
  const response = await graphql<{ passkeyLoginOptions: string }>(app, PASSKEY_LOGIN_OPTIONS, caller);
  if (!response.data?.passkeyLoginOptions) throw new Error(`no login options: ${response.text}`);
  return response.data.passkeyLoginOptions;
}

/** The signed-in account's passkeys, as the `passkeys` query lists them. */
export async function passkeysOf(app: App, token: string): Promise<PasskeyData[] | undefined> {
  return (await graphql<{ passkeys: PasskeyData[] }>(app, PASSKEYS, { token })).data?.passkeys;
}

/** Sends an assertion to `loginWithPasskey`. */
export function sendAssertion(app: App, response: unknown, { transport, ...caller }: Caller & { transport?: 'COOKIE' | 'BEARER' } = {}): Promise<GraphQLResponse<{ loginWithPasskey: AuthPayloadData }>> {
  return graphql<{ loginWithPasskey: AuthPayloadData }>(app, LOGIN_WITH_PASSKEY, {
    ...caller,
    variables: { response: typeof response === 'string' ? response : JSON.stringify(response), ...(transport ? { transport } : {}) },
  });
}

/** The whole login with a passkey alone, as a browser runs it: options, the authenticator, the assertion. */
export async function logInWithPasskey(
  app: App,
  authenticator: SoftwareAuthenticator,
  { overrides, ...options }: Caller & { transport?: 'COOKIE' | 'BEARER'; overrides?: CeremonyOverrides } = {},
): Promise<GraphQLResponse<{ loginWithPasskey: AuthPayloadData }>> {
  const requestOptions = await loginOptions(app, options);
  return sendAssertion(app, authenticator.getAssertion(requestOptions, overrides), options);
}
