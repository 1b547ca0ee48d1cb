import type { CombinedError } from '@urql/core';

/** How a person may prove a second factor, as the server names them in `extensions.methods`. */
export type SecondFactorMethod = 'TOTP' | 'RECOVERY_CODE' | 'PASSKEY';

/** A password step the server accepted, waiting for a second factor: what `completeLogin` needs. */
export interface LoginChallenge {
  challenge: string;
  methods: SecondFactorMethod[];
}

/** Whether a code (from the authenticator app, or a recovery code) is one of the ways. */
export const acceptsCode = (methods: SecondFactorMethod[]) => methods.includes('TOTP') || methods.includes('RECOVERY_CODE');

const METHODS = new Set<string>(['TOTP', 'RECOVERY_CODE', 'PASSKEY']);

const methodsOf = (value: unknown): SecondFactorMethod[] =>
  Array.isArray(value) ? value.filter((item): item is SecondFactorMethod => typeof item === 'string' && METHODS.has(item)) : [];

/** The challenge of a `login` or `resetPassword` answered with `SECOND_FACTOR_REQUIRED`, if it was. */
export function loginChallengeOf(error: CombinedError | undefined): LoginChallenge | undefined {
  const extensions = error?.graphQLErrors[0]?.extensions;
  if (extensions?.code !== 'SECOND_FACTOR_REQUIRED' || typeof extensions.challenge !== 'string') return undefined;
  return { challenge: extensions.challenge, methods: methodsOf(extensions.methods) };
}

/** The methods a sensitive change answered with `STEP_UP_REQUIRED` accepts; undefined for any other answer. */
export function stepUpMethodsOf(error: CombinedError | undefined): SecondFactorMethod[] | undefined {
  const extensions = error?.graphQLErrors[0]?.extensions;
  return extensions?.code === 'STEP_UP_REQUIRED' ? methodsOf(extensions.methods) : undefined;
}
