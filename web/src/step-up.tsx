import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { StepUpDialog, type StepUpRequest } from './components/step-up-dialog.tsx';
import { stepUpMethodsOf, type SecondFactorMethod } from './second-factor.ts';

type AskForSecondFactor = (methods: SecondFactorMethod[]) => Promise<boolean>;

const StepUpContext = createContext<AskForSecondFactor | null>(null);

/** The one step-up dialog of the signed-in app, for every page under it to ask through {@link useStepUp}. */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const [request, setRequest] = useState<StepUpRequest>();
  const ask = useCallback<AskForSecondFactor>(
    (methods) =>
      new Promise((resolve) =>
        setRequest({
          methods,
          onDone(verified) {
            setRequest(undefined);
            resolve(verified);
          },
        }),
      ),
    [],
  );
  return (
    <StepUpContext.Provider value={ask}>
      {children}
      <StepUpDialog request={request} />
    </StepUpContext.Provider>
  );
}

/**
 * Runs a sensitive change so that `STEP_UP_REQUIRED` asks for a second factor and, once it is
 * proven, runs the change again. Resolves to the last attempt's result: the first one when the
 * user gave up (its error says the change needs a second factor).
 */
export function useStepUp() {
  const ask = useContext(StepUpContext);
  return useCallback(
    async function withStepUp<T extends { error?: CombinedError | undefined }>(attempt: () => Promise<T>): Promise<T> {
      const first = await attempt();
      const methods = stepUpMethodsOf(first.error);
      if (!methods || !ask || !(await ask(methods))) return first;
      return attempt();
    },
    [ask],
  );
}
