import { useState } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { announce } from './announcer.ts';
import { graphql } from './gql';
import { authenticateWithPasskey } from './passkey-ceremony.ts';

const PasskeySecondFactorOptionsMutation = graphql(`
  mutation PasskeySecondFactorOptions($challenge: String) {
    passkeySecondFactorOptions(challenge: $challenge)
  }
`);

/** How a passkey proof ended: the options were refused, or the response was sent and this is the answer. Undefined: the person declined the prompt. */
export type PasskeyProofOutcome<Answer> = { optionsRefused: CombinedError | undefined } | { answer: Answer } | undefined;

/**
 * A passkey as the second factor, for the login's second step and for a step-up: the options for
 * the account (the login's `challenge`, or without it the signed-in one), the browser's prompt,
 * then `send` with its response. A prompt that did not work is shown (`refusal`) and announced;
 * what the server answers is the caller's to handle.
 */
export function usePasskeyProof() {
  const [, requestOptions] = useMutation(PasskeySecondFactorOptionsMutation);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();

  async function prove<Answer>(challenge: string | undefined, send: (response: string) => Promise<Answer>): Promise<PasskeyProofOutcome<Answer>> {
    setRefusal(undefined);
    setBusy(true);
    const options = await requestOptions({ challenge });
    if (!options.data) {
      setBusy(false);
      return { optionsRefused: options.error };
    }
    const ceremony = await authenticateWithPasskey(options.data.passkeySecondFactorOptions);
    if (!ceremony.ok) {
      setBusy(false);
      setRefusal(ceremony.message);
      announce(ceremony.message);
      return undefined;
    }
    const answer = await send(ceremony.response);
    setBusy(false);
    return { answer };
  }

  return { busy, refusal, prove, clearRefusal: () => setRefusal(undefined) };
}
