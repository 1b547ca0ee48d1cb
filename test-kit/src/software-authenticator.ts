import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

/**
 * A passkey authenticator in software, standing in for a security key or a phone in the server
 * tests: it makes real key pairs with node:crypto, answers `navigator.credentials.create()` with
 * a `none` attestation and `navigator.credentials.get()` with real signatures, and lets a test
 * lie about what a hostile client could lie about (origin, relying party, counter, flags).
 */

export type SoftwareKeyAlgorithm = 'ES256' | 'EdDSA';

/** A credential the authenticator holds: a discoverable passkey for one relying party and user. */
export interface SoftwareCredential {
  id: Buffer;
  rpId: string;
  userHandle: Buffer;
  privateKey: KeyObject;
  algorithm: SoftwareKeyAlgorithm;
  /** The signature counter the next assertion reports (then moves on by one), unless overridden. */
  signCount: number;
}

/** What a test may change about one ceremony, as a hostile page or a broken authenticator would. */
export interface CeremonyOverrides {
  /** The origin written into clientDataJSON; the authenticator's own origin by default. */
  origin?: string;
  /** The relying party whose hash goes into authenticatorData; the options' by default. */
  rpId?: string;
  /** The challenge answered; the options' by default. */
  challenge?: string;
  /** Whether the user was verified (flag UV); true by default. */
  userVerified?: boolean;
  /** The signature counter reported, instead of the credential's next one. */
  signCount?: number;
}

export interface SoftwareAuthenticator {
  readonly credentials: SoftwareCredential[];
  /** Answers creation options (the JSON text or object a server sent) as the browser would. */
  createCredential(options: string | PublicKeyCredentialCreationOptionsJSON, overrides?: CeremonyOverrides & { credentialId?: Buffer }): RegistrationResponseJSON;
  /**
   * Answers request options with an assertion: from the credential named by `credentialId`, else
   * the first one the options allow, else (discoverable login) the newest one held for the rpId.
   */
  getAssertion(options: string | PublicKeyCredentialRequestOptionsJSON, overrides?: CeremonyOverrides & { credentialId?: Buffer }): AuthenticationResponseJSON;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();
const base64url = (data: Uint8Array) => Buffer.from(data).toString('base64url');

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes;
}

/** The public key in COSE form (RFC 9053): EC2 P-256 for ES256, OKP Ed25519 for EdDSA. */
function coseKeyOf(privateKey: KeyObject, algorithm: SoftwareKeyAlgorithm): Uint8Array {
  const jwk = privateKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  if (algorithm === 'EdDSA') {
    return isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 1], [3, -8], [-1, 6], [-2, x]]));
  }
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  return isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, y]]));
}

function signatureOf(credential: SoftwareCredential, data: Buffer): Buffer {
  // ES256 signatures travel DER-encoded in WebAuthn, which is node's default.
  return credential.algorithm === 'EdDSA' ? sign(null, data, credential.privateKey) : sign('sha256', data, credential.privateKey);
}

function clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
}

function parsed<T>(options: string | T): T {
  return typeof options === 'string' ? (JSON.parse(options) as T) : options;
}

/**
 * An authenticator for pages at `origin`. `backupEligible` makes its passkeys synced ones (flags
 * BE and BS); `countsSignatures: false` makes it report a counter of 0 always, as many do.
 */
export function createSoftwareAuthenticator({
  origin,
  algorithm = 'ES256',
  backupEligible = false,
  countsSignatures = true,
}: {
  origin: string;
  algorithm?: SoftwareKeyAlgorithm;
  backupEligible?: boolean;
  countsSignatures?: boolean;
}): SoftwareAuthenticator {
  const credentials: SoftwareCredential[] = [];
  const backupFlags = backupEligible ? FLAG_BE | FLAG_BS : 0;
  const userFlags = (overrides: CeremonyOverrides) => FLAG_UP | (overrides.userVerified === false ? 0 : FLAG_UV) | backupFlags;

  return {
    credentials,

    createCredential(options, overrides = {}) {
      const creation = parsed<PublicKeyCredentialCreationOptionsJSON>(options);
      const rpId = overrides.rpId ?? creation.rp.id ?? new URL(origin).hostname;
      const excluded = new Set((creation.excludeCredentials ?? []).map((descriptor) => descriptor.id));
      if (credentials.some((credential) => credential.rpId === rpId && excluded.has(base64url(credential.id)))) {
        throw new Error('InvalidStateError: this authenticator already holds an excluded credential');
      }
      const offered = creation.pubKeyCredParams.map((param) => param.alg);
      if (!offered.includes(algorithm === 'EdDSA' ? -8 : -7)) throw new Error(`NotSupportedError: the relying party does not offer ${algorithm}`);
      const { privateKey } = algorithm === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const credential: SoftwareCredential = {
        id: overrides.credentialId ?? randomBytes(32),
        rpId,
        userHandle: Buffer.from(creation.user.id, 'base64url'),
        privateKey,
        algorithm,
        signCount: countsSignatures ? 1 : 0,
      };
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(credential.id.length);
      const authenticatorData = Buffer.concat([
        sha256(rpId),
        Buffer.from([userFlags(overrides) | FLAG_AT]),
        uint32(overrides.signCount ?? 0),
        // The AAGUID of an authenticator that does not say what it is.
        Buffer.alloc(16),
        idLength,
        credential.id,
        coseKeyOf(privateKey, algorithm),
      ]);
      const attestationStatement = new Map<string, string>();
      const attestationObject = isoCBOR.encode(new Map<string, string | Uint8Array | Map<string, string>>([['fmt', 'none'], ['attStmt', attestationStatement], ['authData', authenticatorData]]));
      credentials.push(credential);
      return {
        id: base64url(credential.id),
        rawId: base64url(credential.id),
        type: 'public-key',
        authenticatorAttachment: 'cross-platform',
        clientExtensionResults: {},
        response: {
          clientDataJSON: base64url(clientData('webauthn.create', overrides.challenge ?? creation.challenge, overrides.origin ?? origin)),
          attestationObject: base64url(attestationObject),
          transports: ['usb'],
        },
      };
    },

    getAssertion(options, overrides = {}) {
      const request = parsed<PublicKeyCredentialRequestOptionsJSON>(options);
      const rpId = request.rpId ?? new URL(origin).hostname;
      const allowed = new Set((request.allowCredentials ?? []).map((descriptor) => descriptor.id));
      const credential = overrides.credentialId
        ? credentials.find((candidate) => candidate.id.equals(overrides.credentialId!))
        : credentials.findLast((candidate) => candidate.rpId === rpId && (allowed.size === 0 || allowed.has(base64url(candidate.id))));
      if (!credential) throw new Error('NotAllowedError: this authenticator holds no passkey for these options');
      const signCount = overrides.signCount ?? credential.signCount;
      if (overrides.signCount === undefined && countsSignatures) credential.signCount += 1;
      const authenticatorData = Buffer.concat([sha256(overrides.rpId ?? rpId), Buffer.from([userFlags(overrides)]), uint32(signCount)]);
      const clientDataJSON = clientData('webauthn.get', overrides.challenge ?? request.challenge, overrides.origin ?? origin);
      const signature = signatureOf(credential, Buffer.concat([authenticatorData, sha256(clientDataJSON)]));
      return {
        id: base64url(credential.id),
        rawId: base64url(credential.id),
        type: 'public-key',
        authenticatorAttachment: 'cross-platform',
        clientExtensionResults: {},
        response: {
          clientDataJSON: base64url(clientDataJSON),
          authenticatorData: base64url(authenticatorData),
          signature: base64url(signature),
          userHandle: base64url(credential.userHandle),
        },
      };
    },
  };
}
