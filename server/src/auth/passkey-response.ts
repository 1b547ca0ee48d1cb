import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import { badUserInput } from '../errors.ts';

/** Largest passkey response accepted, in characters: real ones are 1 to 3 kB. */
export const MAX_PASSKEY_RESPONSE_LENGTH = 16_384;

const base64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+$/);
const credentialIds = { id: base64url(1366), rawId: base64url(1366) };
const common = {
  ...credentialIds,
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.looseObject({}).default({}),
};

const registration = z.object({
  ...common,
  response: z.object({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(12_000),
    authenticatorData: base64url(12_000).optional(),
    // Future transports are kept too; they are only ever offered back to the browser as hints.
    transports: z.array(z.string().regex(/^[a-z-]{1,32}$/)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(12_000).optional(),
  }),
});

const authentication = z.object({
  ...common,
  response: z.object({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(4096),
    signature: base64url(1024),
    userHandle: base64url(128).optional(),
  }),
});

/** One answer for every response that cannot be a passkey's: the client sent something else. */
export function malformedPasskeyResponse() {
  return badUserInput('response', "Send the browser's WebAuthn result as JSON (at most 16 kB).");
}

/** A parsed response, with the challenge its client data says it answers. */
export interface ParsedResponse<T> {
  response: T;
  challenge: string;
}

function parse<T extends { id: string; rawId: string; response: { clientDataJSON: string } }>(schema: z.ZodType<T>, text: string): ParsedResponse<T> {
  if (text.length > MAX_PASSKEY_RESPONSE_LENGTH) throw malformedPasskeyResponse();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformedPasskeyResponse();
  }
  const result = schema.safeParse(json);
  if (!result.success || result.data.id !== result.data.rawId) throw malformedPasskeyResponse();
  let challenge: unknown;
  try {
    challenge = (JSON.parse(Buffer.from(result.data.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge;
  } catch {
    throw malformedPasskeyResponse();
  }
  if (typeof challenge !== 'string' || challenge.length === 0 || challenge.length > 512) throw malformedPasskeyResponse();
  return { response: result.data, challenge };
}

/** The JSON of `navigator.credentials.create()`'s result, or BAD_USER_INPUT on `response`. */
export function parseRegistrationResponse(text: string): ParsedResponse<RegistrationResponseJSON> {
  return parse(registration, text);
}

/** The JSON of `navigator.credentials.get()`'s result, or BAD_USER_INPUT on `response`. */
export function parseAuthenticationResponse(text: string): ParsedResponse<AuthenticationResponseJSON> {
  return parse(authentication, text);
}
