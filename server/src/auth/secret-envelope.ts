import { hkdfSync } from 'node:crypto';
import type { Config } from '../config.ts';
import { openAesGcm, sealAesGcm } from './aes-gcm.ts';

const VERSION = 1;

/** The AES-256-GCM key for secrets at rest, derived so that an operator's secret of any alphabet works. */
function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'graphql-auth secrets at rest', 'aes-256-gcm v1', 32));
}

export interface SecretEnvelope {
  /** Encrypts `plaintext`; `label` names what it is (e.g. `signing-key:<kid>`), so a sealed value cannot be moved to another row. */
  seal(plaintext: string, label: string): Buffer;
  /** The plaintext, and whether the previous secret sealed it (so it should be sealed again); undefined when neither secret opens it. */
  open(sealed: Uint8Array, label: string): { plaintext: string; sealedWithPrevious: boolean } | undefined;
}

/**
 * Seals secrets kept in the database (signing keys) under a key that lives only in the
 * environment (`KEY_ENCRYPTION_SECRET`): a copy of the database alone opens nothing. While the
 * secret is being changed, the previous one still opens what it sealed.
 */
export function createSecretEnvelope(secret: string, previousSecret?: string): SecretEnvelope {
  const current = deriveKey(secret);
  const previous = previousSecret === undefined ? undefined : deriveKey(previousSecret);
  const openWith = (key: Buffer, sealed: Uint8Array, label: string) =>
    sealed[0] === VERSION ? openAesGcm(key, sealed.subarray(1), Buffer.from(label))?.toString('utf8') : undefined;

  return {
    seal: (plaintext, label) => Buffer.concat([Buffer.from([VERSION]), sealAesGcm(current, Buffer.from(plaintext, 'utf8'), Buffer.from(label))]),
    open(sealed, label) {
      const plaintext = openWith(current, sealed, label);
      if (plaintext !== undefined) return { plaintext, sealedWithPrevious: false };
      const fromPrevious = previous && openWith(previous, sealed, label);
      return fromPrevious === undefined ? undefined : { plaintext: fromPrevious, sealedWithPrevious: true };
    },
  };
}

/** The envelope of the configured secrets; none when no secret is configured (keys then come from `JWT_PRIVATE_KEYS`). */
export function secretEnvelopeOf(config: Pick<Config, 'keyEncryptionSecret' | 'keyEncryptionSecretPrevious'>): SecretEnvelope | undefined {
  return config.keyEncryptionSecret ? createSecretEnvelope(config.keyEncryptionSecret, config.keyEncryptionSecretPrevious) : undefined;
}
