import { useEffect, useState } from 'react';
import type { CombinedError } from 'urql';

/** What became of an emailed link's token. */
export type LinkOutcome<Data> =
  | { status: 'missing' }
  | { status: 'checking' }
  | { status: 'done'; data: Data }
  | { status: 'failed'; error: CombinedError };

interface SendResult<Data> {
  data?: Data | undefined;
  error?: CombinedError | undefined;
}

/** One request per token for the whole document, shared by every mount of the page that sends it. */
const sent = new Map<string, Promise<SendResult<unknown>>>();

function sendOnce<Data>(token: string, send: (token: string) => Promise<SendResult<Data>>): Promise<SendResult<Data>> {
  let request = sent.get(token) as Promise<SendResult<Data>> | undefined;
  if (!request) {
    request = send(token);
    sent.set(token, request);
  }
  return request;
}

/**
 * Sends an emailed link's token to the server as the page arrives, once per document whatever
 * re-renders and remounts happen (StrictMode's second run of effects, the app moving the page into
 * its frame when the session changes): the token is single use, so a second request would report
 * a link that just worked as spent. `retry` sends it again after a failure that was not the
 * server's verdict on the token (the network, the service away).
 */
export function useOneTimeLink<Data>(
  token: string | null,
  send: (token: string) => Promise<SendResult<Data>>,
): { outcome: LinkOutcome<Data>; retry(): void } {
  const [outcome, setOutcome] = useState<LinkOutcome<Data>>(token ? { status: 'checking' } : { status: 'missing' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    let current = true;
    void sendOnce(token, send).then(({ data, error }) => {
      if (!current) return;
      if (data) setOutcome({ status: 'done', data });
      else if (error) setOutcome({ status: 'failed', error });
    });
    return () => {
      current = false;
    };
    // `send` is a new function at every render; the token and the attempt decide when to send.
  }, [token, attempt]);

  return {
    outcome,
    retry() {
      if (!token) return;
      sent.delete(token);
      setOutcome({ status: 'checking' });
      setAttempt((count) => count + 1);
    },
  };
}
